import HTTPTypes
import HeimdallCore
import HeimdallStore
import Hummingbird
import NIOCore

/// The semantic stage (docs/behaviour.md §3): embed, search the partition, verify, serve.
extension ProxyResponder {
    /// What the semantic stage did: served a stored answer, or not (with the prompt's embedding,
    /// when one was made, for the entry the miss will store).
    enum SemanticOutcome {
        case served((Response, String?))
        case notServed(PromptEmbedding?)
    }

    /// Embeds the prompt, searches its partition and serves the best match the verdict lets through;
    /// fills `debug` with what it saw either way.
    func semanticLookup(_ r: CacheableRequest, lease: FlightLease?, debug: inout CacheDebug) async -> SemanticOutcome {
        let fingerprint = r.fingerprint
        guard r.directives.lookup != .directOnly, let semantic, semantic.applies(to: fingerprint) else { return .notServed(nil) }
        var promptEmbedding: PromptEmbedding?
        let threshold = semantic.effectiveThreshold(requested: r.directives.threshold)
        let prompt = fingerprint.semanticText
        do {
            let embeddingStarted = ContinuousClock.now
            let embedding = try await semantic.embedder.embed(prompt, headers: r.request.headers)
            r.record.embedded(in: .now - embeddingStarted)
            promptEmbedding = embedding
            debug.providerUsed = embedding.provider
            debug.modelUsed = embedding.model
            debug.inputTokens = embedding.inputTokens
            debug.threshold = threshold
            let result = try semantic.search(embedding, partition: fingerprint.partitionKey, threshold: threshold)
            if let best = result.bestSimilarity { debug.similarity = Double(best) }
            for match in result.matches {
                // One read serves the expiry check, the guard and the answer; the hit is counted only once served.
                let read: StoredResponse?
                do {
                    read = try await storeThreads.run { [store] () throws(StoreError) in try store.liveEntry(id: match.id) }
                } catch {
                    storeHealth.failed(.read, error)
                    continue
                }
                let verdict = SemanticVerdict(
                    query: prompt, entry: read, similarity: Double(match.similarity), hitGuard: semantic.hitGuard)
                guard case .serve = verdict, let stored = read else {
                    if verdict == .gone { semantic.remove([match.id]) }  // expired or deleted since it was indexed
                    if case .vetoed(let check) = verdict {
                        logger.debug("semantic match vetoed", metadata: ["cache_id": "\(match.id)", "check": "\(check.rawValue)"])
                    }
                    continue
                }
                do { try store.recordHit(id: stored.id) } catch { storeHealth.failed(.write, error) }
                debug.cacheHit = true
                debug.hitType = .semantic
                debug.cacheID = stored.id
                debug.similarity = Double(match.similarity)
                r.record.served(stored, as: .hitSemantic, similarity: Double(match.similarity))
                lease?.flight.close(.answer(stored, debug))
                return .served((serve(stored, debug: debug), stored.id))
            }
        } catch {
            // An embedding failure costs the semantic lookup, never the request.
            logger.warning("semantic lookup skipped", metadata: ["error": "\(error)"])
        }
        return .notServed(promptEmbedding)
    }
}
