/// Who a cached entry belongs to: a SHA-256 of the caller's credential, never the credential.
public enum Tenant {
    /// The tenant id for a request. `x-bf-vk` (a Bifrost virtual key) wins over
    /// `Authorization`; no credential at all is the anonymous tenant `""`.
    /// With `shareAcrossTenants` every caller lands in one shared tenant.
    public static func id(virtualKey: String?, authorization: String?, shareAcrossTenants: Bool) -> String {
        if shareAcrossTenants { return "shared" }
        if let vk = virtualKey, !vk.isEmpty { return Digest.sha256Hex("x-bf-vk\u{0}" + vk) }
        if let auth = authorization, !auth.isEmpty { return Digest.sha256Hex("authorization\u{0}" + auth) }
        return ""
    }
}
