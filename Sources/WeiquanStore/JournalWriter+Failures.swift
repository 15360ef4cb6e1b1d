import Foundation

/// What the writer does when the disk fails it: a failed append is cut off again; when that or an fsync fails, the
/// store refuses writes until it is reopened.
extension JournalWriter {
    /// After a failed append: cuts the partial batch off again (durably), or gives up on the store.
    func rollBack(after error: StoreError) {
        do throws(StoreError) {
            try POSIX.truncate(self.journalDescriptor, to: self.journalLength, path: self.journalPath)
            if self.options.fsync {
                try POSIX.syncData(self.journalDescriptor, path: self.journalPath)
            }
        } catch let rollbackError {
            self.poison(
                StoreError(
                    code: .unusable,
                    message: "appending to \(self.journalPath) failed (\(error.message)) and cutting the partial write "
                        + "off failed too (\(rollbackError.message)); the store refuses writes until it is reopened",
                    path: self.journalPath,
                    systemError: rollbackError.systemError
                )
            )
        }
    }

    func currentFailure() -> StoreError? {
        self.condition.lock()
        defer { self.condition.unlock() }
        return self.failure
    }

    func poison(_ error: StoreError) {
        self.condition.lock()
        if self.failure == nil {
            self.failure = error
        }
        self.condition.unlock()
    }
}
