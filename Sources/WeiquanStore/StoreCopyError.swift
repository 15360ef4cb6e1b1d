/// Why `weiquan store copy` stopped, or why its check of the copy failed.
public enum StoreCopyError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The destination already holds documents (how many, by collection) and replacing them was not asked for.
    case destinationNotEmpty([String: Int])
    /// Reading the copy back found differences (the first ones; `total` in all).
    case mismatch([StoreCopyDifference], total: Int)
    /// A document refers to a blob (by its SHA-256) that the source does not hold.
    case blobMissing(String)
    /// A blob read back from the copy differs from the source's.
    case blobDiffers(String)

    /// The message for a person.
    public var description: String {
        switch self {
        case .destinationNotEmpty(let counts):
            let list = counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            return "the destination is not empty (\(list)); copy into an empty store, "
                + "or pass --force to replace its documents with the source's"
        case .mismatch(let differences, let total):
            let shown = differences.map { "  \($0)" }.joined(separator: "\n")
            let more = total > differences.count ? "\n  … and \(total - differences.count) more" : ""
            return "the copy differs from the source in \(total) place(s):\n\(shown)\(more)"
        case .blobMissing(let key):
            return "the source refers to blob \(key) but does not hold it; the documents were copied, the blobs not all"
        case .blobDiffers(let key):
            return "blob \(key) reads back from the copy different from the source's"
        }
    }
}

/// One difference between a source store and its copy.
public enum StoreCopyDifference: Sendable, Equatable, CustomStringConvertible {
    /// The collection holds a different number of documents.
    case count(collection: String, source: Int, destination: Int)
    /// The document is in the source only.
    case missing(DocumentKey)
    /// The document is in the copy only.
    case extra(DocumentKey)
    /// The document's JSON differs (after normalisation: key order, spacing, number spelling).
    case changed(DocumentKey)

    /// One line for a person.
    public var description: String {
        switch self {
        case .count(let collection, let source, let destination):
            return "\(collection): \(source) document(s) in the source, \(destination) in the copy"
        case .missing(let key): return "\(key): missing from the copy"
        case .extra(let key): return "\(key): in the copy but not in the source"
        case .changed(let key): return "\(key): its JSON differs"
        }
    }
}
