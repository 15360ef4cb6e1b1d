import Foundation
import WeiquanCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Group commit on the writer thread: take what is queued, append it with one write, sync once, resume everyone.
extension JournalWriter {

    func run() {
        if self.compactOnStart {
            // Recovery replayed more than one journal: tidy up at once.
            self.startCompaction(waiters: [])
        }
        var batch: [Waiter] = []
        batch.reserveCapacity(min(self.options.maxBatch, 1024))
        while true {
            self.condition.lock()
            while self.queue.isEmpty && !self.stopping
                && (self.compactionWaiters.isEmpty || self.stats.compactionRunning)
            {
                self.condition.wait()
            }
            var taken = 0
            var takenBytes = 0
            while taken < self.queue.count && taken < self.options.maxBatch
                && (taken == 0
                    || takenBytes + self.queue[taken].prepared.lineTail.count <= JournalWriter.maximumBatchBytes)
            {
                takenBytes += self.queue[taken].prepared.lineTail.count
                taken += 1
            }
            if taken == self.queue.count {
                swap(&self.queue, &batch)
            } else {
                batch.append(contentsOf: self.queue[..<taken])
                self.queue.removeFirst(taken)
            }
            var compactionWaiters: [CompactionWaiter] = []
            if !self.compactionWaiters.isEmpty && !self.stats.compactionRunning {
                swap(&compactionWaiters, &self.compactionWaiters)
            }
            let compactionIdle = !self.stats.compactionRunning
            let failure = self.failure
            let exiting = self.stopping && self.queue.isEmpty
            self.condition.unlock()

            if !batch.isEmpty {
                // Commit under the normal policy: the callers are waiting for this sync and its hand-over.
                StoreThread.apply(.normal)
                self.commit(batch, failure: failure)
                StoreThread.apply(.batch)
                batch.removeAll(keepingCapacity: true)
            }
            if exiting {
                let closed = StoreError(
                    code: .closed, message: "the store at \(self.directory) was closed", path: self.directory)
                compactionWaiters.forEach { $0.resume(throwing: closed) }
                break
            }
            if let failure = self.currentFailure() {
                // Never start a generation after a failure: the journal's end is not known to be clean.
                compactionWaiters.forEach { $0.resume(throwing: failure) }
            } else if !compactionWaiters.isEmpty {
                self.startCompaction(waiters: compactionWaiters)
            } else if compactionIdle && self.journalLength >= self.nextAutomaticCompaction {
                self.startCompaction(waiters: [])
            }
        }
        self.shutDown()
    }

    /// Appends and syncs one batch, then applies it and resumes its callers.
    func commit(_ batch: [Waiter], failure: StoreError?) {
        if let failure {
            self.options.callerAffinity.complete(batch.map { ($0.place, $0.caller) }, with: .failure(failure))
            return
        }
        guard batch.contains(where: \.prepared.hasCreate) else {
            self.append(batch)
            return
        }
        // Creates are checked here, in commit order, against the state and the batch's earlier writes: a write
        // whose create meets an existing document is answered now and appends nothing.
        var rejected: [(waiter: Waiter, error: StoreError)] = []
        let accepted: [Waiter] = self.state.inspect { table in
            var check = CreateCheck()
            var accepted: [Waiter] = []
            accepted.reserveCapacity(batch.count)
            for waiter in batch {
                do throws(StoreError) {
                    try check.accept(waiter.prepared.changes, in: table)
                    accepted.append(waiter)
                } catch {
                    rejected.append((waiter, error))
                }
            }
            return accepted
        }
        for (waiter, error) in rejected {
            self.options.callerAffinity.complete([(waiter.place, waiter.caller)], with: .failure(error))
        }
        if !accepted.isEmpty {
            self.append(accepted)
        }
    }

    /// Appends and syncs writes that are known to apply, then applies them and resumes their callers.
    private func append(_ batch: [Waiter]) {
        self.buffer.removeAll(keepingCapacity: true)
        var sequence = self.nextSequence
        for waiter in batch {
            self.buffer.append(contentsOf: JournalWriter.linePrefix)
            JSONOutput.appendInteger(sequence, to: &self.buffer)
            self.buffer.append(ASCII.comma)
            self.buffer.append(contentsOf: waiter.prepared.lineTail)
            sequence += 1
        }

        let started = ContinuousClock.now
        do throws(StoreError) {
            let descriptor = self.journalDescriptor
            let offset = self.journalLength
            let path = self.journalPath
            try self.buffer.withBytes { raw throws(StoreError) in
                try POSIX.writeAll(descriptor, raw, at: offset, path: path)
            }
        } catch {
            self.rollBack(after: error)
            self.options.callerAffinity.complete(batch.map { ($0.place, $0.caller) }, with: .failure(error))
            return
        }
        if self.options.fsync {
            do throws(StoreError) {
                try POSIX.syncData(self.journalDescriptor, path: self.journalPath)
            } catch {
                let poisoned = StoreError(
                    code: .unusable,
                    message: "\(error.message); the last writes may not have reached the disk, so the store "
                        + "refuses writes until it is reopened (recovery then shows what is on disk)",
                    path: self.journalPath,
                    systemError: error.systemError
                )
                self.poison(poisoned)
                self.options.callerAffinity.complete(batch.map { ($0.place, $0.caller) }, with: .failure(poisoned))
                return
            }
        }
        if let identity = POSIX.identity(of: self.journalDescriptor), identity.links == 0 {
            let poisoned = StoreError(
                code: .unusable,
                message: "the journal \(self.journalPath) was deleted while the store was open (was the directory "
                    + "removed?); the store refuses writes until it is reopened",
                path: self.journalPath
            )
            self.poison(poisoned)
            self.options.callerAffinity.complete(batch.map { ($0.place, $0.caller) }, with: .failure(poisoned))
            return
        }
        let seconds = started.duration(to: .now).inSeconds

        self.journalLength += self.buffer.count
        self.nextSequence = sequence
        if self.buffer.capacity > 4 << 20 {
            // Do not keep a huge batch's buffer for the small ones that follow.
            self.buffer = []
        }
        self.state.update { table in
            for waiter in batch {
                table.apply(waiter.prepared.changes)
            }
        }
        self.condition.lock()
        self.stats.writes += batch.count
        self.stats.batches += 1
        self.stats.lastSequence = sequence - 1
        self.stats.journalBytes = self.journalLength
        let observer = self.observer
        self.condition.unlock()
        self.options.callerAffinity.complete(batch.map { ($0.place, $0.caller) }, with: .success(()))
        observer?(batch.count, seconds)
    }

    func shutDown() {
        self.condition.lock()
        while self.stats.compactionRunning {
            self.condition.wait()
        }
        let leftover = self.compactionWaiters
        self.compactionWaiters = []
        self.condition.unlock()
        let closed = StoreError(
            code: .closed, message: "the store at \(self.directory) was closed", path: self.directory)
        leftover.forEach { $0.resume(throwing: closed) }

        POSIX.close(self.journalDescriptor)
        self.journalDescriptor = -1
        self.lock.release()

        self.condition.lock()
        self.finished = true
        let closers = self.closeWaiters
        self.closeWaiters = []
        self.condition.broadcast()
        self.condition.unlock()
        closers.forEach { $0.resume() }
    }
}
