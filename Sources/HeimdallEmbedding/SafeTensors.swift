import Foundation

/// Why a safetensors file could not be used.
public struct SafeTensorsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Kinds of failure.
    public enum Code: Sendable, Equatable {
        /// No file at the path.
        case fileMissing
        /// The file exists but cannot be opened or mapped.
        case unreadable
        /// The bytes are not a valid safetensors file (header length, JSON, offsets).
        case malformed
        /// A tensor the caller needs is absent.
        case missingTensor
        /// A tensor has another dtype or shape than the caller needs.
        case unexpectedTensor
    }

    public let code: Code
    public let message: String
    public var description: String { message }

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// Element types of the safetensors format.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .i8, .u8, .bool: 1
        }
    }
}

/// One tensor's entry in the header.
public struct SafeTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafeTensorsDType
    public let shape: [Int]
    /// Byte range within the whole file (header offsets are relative to the data section; this is not).
    public let fileRange: Range<Int>

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A memory-mapped safetensors file: `[u64 LE header length N][N bytes JSON][tensor bytes]`.
///
/// Names, dtypes, shapes and offsets all come from the header; nothing about the layout is
/// assumed. Every offset is validated against the file size, so a truncated or hostile file
/// gives a `SafeTensorsError`, never an out-of-bounds read.
public final class SafeTensorsFile: @unchecked Sendable {
    // Sendable: all stored properties are immutable after init and the mapping is read-only.
    public let path: String
    /// Tensors by name (the `__metadata__` entry excluded).
    public let tensors: [String: SafeTensorInfo]
    /// The `__metadata__` string map (empty if absent).
    public let metadata: [String: String]
    /// Offset of the data section (8 + N).
    public let dataOffset: Int
    private let file: MappedFile

    /// Upper bound on the JSON header, as in the reference implementation (100 MB).
    static let maxHeaderBytes = 100_000_000

    public init(path: String) throws(SafeTensorsError) {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            switch error {
            case .missing: throw SafeTensorsError(.fileMissing, "safetensors file \(path) does not exist")
            case .empty: throw SafeTensorsError(.malformed, "safetensors file \(path) is empty")
            case .unreadable(let reason):
                throw SafeTensorsError(.unreadable, "cannot map safetensors file \(path): \(reason)")
            }
        }
        self.file = file
        self.path = path
        let bytes = file.bytes
        guard bytes.count >= 8 else {
            throw SafeTensorsError(.malformed, "\(path): \(bytes.count) bytes, too short for a safetensors header")
        }
        let declared = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(Self.maxHeaderBytes), 8 + Int(declared) <= bytes.count else {
            throw SafeTensorsError(
                .malformed, "\(path): header length \(declared) does not fit in a file of \(bytes.count) bytes")
        }
        let headerLength = Int(declared)
        dataOffset = 8 + headerLength
        let header = Data(bytes[8..<dataOffset])
        (tensors, metadata) = try Self.parseHeader(header, dataSize: bytes.count - dataOffset, dataOffset: dataOffset, path: path)
    }

    /// The whole file, header included (for hashing).
    public var fileBytes: UnsafeRawBufferPointer { file.bytes }

    /// The bytes of a tensor.
    public func bytes(of info: SafeTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[info.fileRange])
    }

    /// A float32 tensor with exactly the given shape, viewed in place (no copy).
    public func floats(_ name: String, shape: [Int]) throws(SafeTensorsError) -> UnsafeBufferPointer<Float> {
        guard let info = tensors[name] else {
            throw SafeTensorsError(.missingTensor, "\(path): tensor \(name) is missing")
        }
        guard info.dtype == .f32, info.shape == shape else {
            throw SafeTensorsError(
                .unexpectedTensor,
                "\(path): tensor \(name) is \(info.dtype.rawValue) \(info.shape), expected F32 \(shape)")
        }
        let raw = bytes(of: info)
        guard Int(bitPattern: raw.baseAddress) % MemoryLayout<Float>.alignment == 0 else {
            throw SafeTensorsError(.malformed, "\(path): tensor \(name) is not 4-byte aligned")
        }
        return raw.assumingMemoryBound(to: Float.self)
    }

    private static func parseHeader(
        _ header: Data, dataSize: Int, dataOffset: Int, path: String
    ) throws(SafeTensorsError) -> ([String: SafeTensorInfo], [String: String]) {
        func malformed(_ reason: String) -> SafeTensorsError {
            SafeTensorsError(.malformed, "\(path): invalid safetensors header: \(reason)")
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: header)
        } catch {
            throw malformed("not JSON (\(error.localizedDescription))")
        }
        guard let entries = json as? [String: Any] else { throw malformed("not a JSON object") }
        var tensors: [String: SafeTensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let map = value as? [String: String] else { throw malformed("__metadata__ is not a string map") }
                metadata = map
                continue
            }
            guard let entry = value as? [String: Any] else { throw malformed("entry \(name) is not an object") }
            guard let dtypeName = entry["dtype"] as? String, let dtype = SafeTensorsDType(rawValue: dtypeName) else {
                throw malformed("entry \(name) has a missing or unknown dtype")
            }
            guard let shape = (entry["shape"] as? [Any])?.compactMap({ $0 as? Int }),
                shape.count == (entry["shape"] as? [Any])?.count, shape.allSatisfy({ $0 >= 0 })
            else { throw malformed("entry \(name) has an invalid shape") }
            guard let offsets = (entry["data_offsets"] as? [Any])?.compactMap({ $0 as? Int }), offsets.count == 2,
                offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataSize
            else { throw malformed("entry \(name) has data_offsets outside the \(dataSize)-byte data section") }
            var byteCount = dtype.byteSize
            for dimension in shape {
                let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw malformed("entry \(name) has an overflowing shape") }
                byteCount = product
            }
            guard offsets[1] - offsets[0] == byteCount else {
                throw malformed("entry \(name): \(offsets[1] - offsets[0]) bytes for shape \(shape) of \(dtypeName)")
            }
            tensors[name] = SafeTensorInfo(
                name: name, dtype: dtype, shape: shape,
                fileRange: (dataOffset + offsets[0])..<(dataOffset + offsets[1]))
        }
        // Tensors must not share bytes (the format forbids it; overlap would signal corruption).
        let ordered = tensors.values.filter { !$0.fileRange.isEmpty }.sorted { $0.fileRange.lowerBound < $1.fileRange.lowerBound }
        for (a, b) in zip(ordered, ordered.dropFirst()) where a.fileRange.upperBound > b.fileRange.lowerBound {
            throw malformed("tensors \(a.name) and \(b.name) overlap")
        }
        return (tensors, metadata)
    }
}
