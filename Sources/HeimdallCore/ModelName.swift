/// A `model` field split the way Bifrost reads it: `provider/model`.
public struct ModelName: Sendable, Equatable {
    /// The provider prefix, when the request named one (`openai` in `openai/gpt-4o-mini`).
    public var provider: String?
    /// The model without the provider prefix.
    public var model: String

    public init(provider: String?, model: String) {
        self.provider = provider
        self.model = model
    }

    public init(_ raw: String) {
        if let slash = raw.firstIndex(of: "/"), slash != raw.startIndex, raw.index(after: slash) != raw.endIndex {
            provider = String(raw[..<slash])
            model = String(raw[raw.index(after: slash)...])
        } else {
            provider = nil
            model = raw
        }
    }

    /// `provider/model` as the request spelled it (just `model` without a provider): how stats name it.
    public var label: String { provider.map { "\($0)/\(model)" } ?? model }
}
