/// Checks the creates of writes (``DocumentChange/mustNotExist``) against a table and the writes accepted before
/// them that the table does not show yet (the earlier writes of the same group commit).
///
/// Changes to one document apply in order, so a create after a delete of the same document in one write succeeds,
/// and a second create of the same document in one write conflicts with the first.
struct CreateCheck {
    /// Whether each document touched by the accepted writes exists after them.
    private var pending: [DocumentKey: Bool] = [:]

    /// No writes accepted yet.
    init() {}

    /// Checks `changes` against `table` as changed by the writes accepted so far; if every create meets no
    /// document, accepts them (later checks see their effects), otherwise throws `StoreError` `.conflict` naming
    /// the document and accepts nothing of the write.
    mutating func accept(_ changes: [DocumentChange], in table: DocumentTable) throws(StoreError) {
        var effects: [DocumentKey: Bool] = [:]
        for change in changes {
            let key = change.key
            if change.mustNotExist {
                let exists =
                    effects[key] ?? self.pending[key]
                    ?? table.contains(collection: change.collection, id: change.id)
                if exists {
                    throw CreateCheck.conflict(key)
                }
            }
            effects[key] = change.json != nil
        }
        self.pending.merge(effects) { _, later in later }
    }

    /// The error of a create that met an existing document.
    static func conflict(_ key: DocumentKey) -> StoreError {
        StoreError(
            code: .conflict,
            message: "\(key) exists already, and a change had to create it; nothing of the write was applied")
    }
}
