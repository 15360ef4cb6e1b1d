import Foundation
import WeiquanCore
import WeiquanStore

extension ConversationService {
    /// The ``CaseReport`` of `period` at `unit` (and the units below it; nil: all) as `GET /api/v1/reports` makes
    /// it, from memory: the cases' facts from the ``CaseIndex``, the handoffs' from the ``HandoffIndex``, the
    /// centre's deadlines and the service's clock for the overdue figures. An unknown unit is a ``DeskError``.
    package func report(period: ReportPeriod, unit: UnitID?) async throws -> CaseReport {
        let facts = self.caseIndex.facts()
        let handoffs = self.handoffs.facts()
        let configuration = self.machine.configuration
        // Visits are counted only in a report on all units (they belong to none); read from the store, small.
        let sessions = unit == nil ? try await self.store.all(ConversationSession.self) : []
        do throws(ReportError) {
            return try CaseReport(
                facts: facts, handoffs: handoffs, period: period, unit: unit, directory: configuration.directory,
                deadlines: CaseDeadlines(configuration), now: self.clock(), sessions: sessions)
        } catch {
            throw DeskError(error)
        }
    }
}
