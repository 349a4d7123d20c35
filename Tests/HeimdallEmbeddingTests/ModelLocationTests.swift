import Foundation
import Testing

@testable import HeimdallEmbedding

struct ModelLocationTests {
    @Test func environmentOverrideWins() {
        let url = ModelLocation.defaultDirectory(environment: ["HEIMDALL_MODEL_DIR": "/srv/models/minilm", "HOME": "/root"])
        #expect(url.path == "/srv/models/minilm")
    }

    @Test func defaultsToTheCacheUnderHome() {
        let url = ModelLocation.defaultDirectory(environment: ["HOME": "/home/ann", "HEIMDALL_MODEL_DIR": ""])
        #expect(url.path == "/home/ann/.cache/heimdall/models/all-MiniLM-L6-v2")
    }
}
