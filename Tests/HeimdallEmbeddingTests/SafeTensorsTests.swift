import Foundation
import Testing

@testable import HeimdallEmbedding

/// The loader on small files written here: valid ones parse, broken ones give typed errors.
final class SafeTensorsTests {
    /// A fresh temporary directory per test, removed afterwards.
    let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-st-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes `[u64 LE header length][header][data]` and returns the path.
    func write(header: String, data: [UInt8] = [], name: String = "t.safetensors", headerLength: UInt64? = nil) -> String {
        var bytes: [UInt8] = []
        let json = Array(header.utf8)
        withUnsafeBytes(of: (headerLength ?? UInt64(json.count)).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        bytes.append(contentsOf: data)
        let url = directory.appendingPathComponent(name)
        try! Data(bytes).write(to: url)
        return url.path
    }

    static func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    }

    /// The typed error `body` throws (nil if it succeeds or throws anything else).
    func error(_ body: () throws -> Void) -> SafeTensorsError? {
        do {
            try body()
            return nil
        } catch {
            return error as? SafeTensorsError
        }
    }

    @Test func parsesNamesShapesAndOffsetsFromTheHeader() throws {
        // Header padded with spaces to a multiple of 8, as the real file is; tensors out of order.
        var header =
            #"{"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[3],"data_offsets":[24,36]},"#
            + #""a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"ids":{"dtype":"I64","shape":[1,2],"data_offsets":[36,52]}}"#
        while (8 + header.utf8.count) % 8 != 0 { header += " " }
        let ids: [UInt8] = [5, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]
        let path = write(header: header, data: Self.floatBytes([1, 2, 3, 4, 5, 6, -1, -2, -3]) + ids)
        let file = try SafeTensorsFile(path: path)
        #expect(file.metadata == ["format": "pt"])
        #expect(Set(file.tensors.keys) == ["a", "b", "ids"])
        #expect(file.tensors["a"]?.shape == [2, 3])
        #expect(file.tensors["ids"]?.dtype == .i64)
        #expect(file.dataOffset == 8 + header.utf8.count)
        #expect(Array(try file.floats("a", shape: [2, 3])) == [1, 2, 3, 4, 5, 6])
        #expect(Array(try file.floats("b", shape: [3])) == [-1, -2, -3])
        #expect(error { _ = try file.floats("a", shape: [6]) }?.code == .unexpectedTensor)
        #expect(error { _ = try file.floats("ids", shape: [1, 2]) }?.code == .unexpectedTensor)
        #expect(error { _ = try file.floats("c", shape: [1]) }?.code == .missingTensor)
    }

    @Test func missingAndEmptyFiles() {
        #expect(error { _ = try SafeTensorsFile(path: directory.appendingPathComponent("nope").path) }?.code == .fileMissing)
        let empty = directory.appendingPathComponent("empty.safetensors")
        try! Data().write(to: empty)
        #expect(error { _ = try SafeTensorsFile(path: empty.path) }?.code == .malformed)
        #expect(error { _ = try SafeTensorsFile(path: directory.path) }?.code == .unreadable, "a directory")
    }

    @Test(
        arguments: [
            ("header longer than the file", #"{}"#, UInt64(1_000)),
            ("huge header length", #"{}"#, UInt64.max),
            ("not JSON", #"{"a": "#, nil),
            ("not an object", #"[1,2]"#, nil),
            ("unknown dtype", #"{"a":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}"#, nil),
            ("negative shape", #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, nil),
            ("offsets beyond data", #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, nil),
            ("size does not match shape", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#, nil),
            ("reversed offsets", #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, nil),
            (
                "overlapping tensors",
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, nil
            ),
            ("bad metadata", #"{"__metadata__":{"format":1}}"#, nil),
        ] as [(String, String, UInt64?)])
    func malformedHeadersAreRejected(reason: String, header: String, headerLength: UInt64?) {
        let path = write(header: header, data: Self.floatBytes([1, 2]), headerLength: headerLength)
        let failure = error { _ = try SafeTensorsFile(path: path) }
        #expect(failure?.code == .malformed, "\(reason): \(String(describing: failure))")
        #expect(failure?.message.contains(path) == true, "errors name the file")
    }

    @Test func tooShortForAHeaderLength() {
        let url = directory.appendingPathComponent("short.safetensors")
        try! Data([1, 2, 3]).write(to: url)
        #expect(error { _ = try SafeTensorsFile(path: url.path) }?.code == .malformed)
    }
}
