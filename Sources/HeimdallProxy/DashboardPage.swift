import Hummingbird

/// The admin dashboard (`GET /`): one self-contained page, no external scripts, styles or fonts
/// (the machines it runs on may have no internet). Its script polls `stats` every two seconds and
/// draws everything from that one document. Every number carries `data-stat="<path in /stats>"`,
/// which is how Tests/dashboard/check_dashboard.py compares what Chromium rendered with `/stats`.
enum DashboardPage {
    static func response() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: html)))
    }

    /// The page, `Resources/dashboard.html`, compiled into the binary (no file to find at run time).
    static let html: [UInt8] = PackageResources.dashboard_html
}
