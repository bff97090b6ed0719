import Foundation

/// The warnings of docs/reference.md §2 that need the gate: configurations that are valid but broken in
/// practice for outbound work, or that pay for what nobody uses.
public enum ReadinessWarnings {
    /// `paths`: what the configuration was loaded from, so that a hint's command reads the
    /// same files (`outboundctl explain AGENT PATHS`) and works as printed.
    public static func check(_ configuration: Configuration, date: CalendarDate? = nil, now: Date, paths: [String] = []) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let gate = OutboundGate(configuration: configuration, date: date, now: now)
        let agents = configuration.agentsInMemoryOrder()
        premiumLicencesUnused(gate, agents, paths: paths, into: &diagnostics)
        entryPointsWithoutFollowUp(configuration, into: &diagnostics)
        unusedProfiles(configuration, agents, into: &diagnostics)
        digitalDisabledWithPremium(configuration, agents, into: &diagnostics)
        return diagnostics
    }

    /// OB401: an active agent holds a Premium licence but no team × channel is available.
    private static func premiumLicencesUnused(_ gate: OutboundGate, _ agents: [Agent], paths: [String], into diagnostics: inout [Diagnostic]) {
        let explainPaths = paths.map { " " + ShellWord.quoted($0) }.joined()
        let configuration = gate.configuration
        var memo = OutboundGate.Memo(gate: gate)
        for agent in agents where agent.active.value {
            guard let licence = configuration.licences[agent.licence.value], licence.type.value.isPremium else { continue }
            var reasons = Set<ReasonCode>()
            var anyAvailable = false
            search: for team in agent.teams {
                for found in memo.reasonsByChannel(agent, team: team.value) {
                    if found.isEmpty {
                        anyAvailable = true
                        break search
                    }
                    reasons.formUnion(found)
                }
            }
            guard !anyAvailable else { continue }
            diagnostics.append(
                Diagnostic(
                    .premiumLicenceUnused,
                    "\(agent.id) holds Premium licence '\(licence.id)' but can start no outbound channel (\(reasons.sorted().map(\.rawValue).joined(separator: ", "))); run `outboundctl explain \(agent.id)\(explainPaths)`",
                    at: agent.licence.location, path: "agents.\(agent.id).licence"))
        }
    }

    /// OB402 and OB403: outbound entry points whose replies and transfers have nowhere to go,
    /// or whose conversations cannot be wrapped up.
    private static func entryPointsWithoutFollowUp(_ configuration: Configuration, into diagnostics: inout [Diagnostic]) {
        let activeReasons = Set(configuration.wrapUpReasons.values.filter(\.active.value).map(\.id))
        for entryPoint in configuration.entryPoints.values where entryPoint.outbound.value && entryPoint.channel.value.supportsOutbound {
            let path = "entryPoints.\(entryPoint.id)"
            guard let queueId = entryPoint.queue else {
                diagnostics.append(
                    Diagnostic(
                        .outboundEntryPointWithoutQueue,
                        "outbound entry point '\(entryPoint.id)' has no queue: replies and transfers have nowhere to go; set \(path).queue",
                        at: entryPoint.outbound.location, path: "\(path).queue"))
                continue
            }
            guard let queue = configuration.queues[queueId.value] else { continue }
            let offered = queue.wrapUpReasons.map { Set($0.map(\.value)).intersection(activeReasons) } ?? activeReasons
            if offered.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .outboundQueueWithoutWrapUp,
                        "queue '\(queue.id)' of outbound entry point '\(entryPoint.id)' offers no active wrap-up reason, so agents cannot finish its conversations",
                        at: queueId.location, path: "\(path).queue",
                        notes: [.init("queue \(queue.id) is defined here", at: queue.location)]))
            }
        }
    }

    /// OB404 and OB405.
    private static func unusedProfiles(_ configuration: Configuration, _ agents: [Agent], into diagnostics: inout [Diagnostic]) {
        let usedDesktops = Set(agents.map(\.desktopProfile.value))
        for desktop in configuration.desktopProfiles.values where !usedDesktops.contains(desktop.id) {
            diagnostics.append(
                Diagnostic(
                    .unusedDesktopProfile, "no agent uses desktop profile '\(desktop.id)'",
                    at: desktop.location, path: "desktopProfiles.\(desktop.id)"))
        }
        var usedProfiles = Set(agents.compactMap(\.multimediaProfile?.value))
        usedProfiles.formUnion(configuration.teams.values.compactMap(\.multimediaProfile?.value))
        usedProfiles.formUnion(configuration.sites.values.compactMap(\.multimediaProfile?.value))
        for profile in configuration.multimediaProfiles.values where !usedProfiles.contains(profile.id) {
            diagnostics.append(
                Diagnostic(
                    .unusedMultimediaProfile, "no agent, team or site uses multimedia profile '\(profile.id)'",
                    at: profile.location, path: "multimediaProfiles.\(profile.id)"))
        }
    }

    /// OB406.
    private static func digitalDisabledWithPremium(_ configuration: Configuration, _ agents: [Agent], into diagnostics: inout [Diagnostic]) {
        guard let tenant = configuration.tenant, tenant.digitalChannels.value == .disabled else { return }
        let holders = agents.filter { agent in
            agent.active.value && configuration.licences[agent.licence.value]?.type.value.isPremium == true
        }
        guard !holders.isEmpty else { return }
        diagnostics.append(
            Diagnostic(
                .digitalDisabledWithPremium,
                "digital channels are disabled while \(plural(holders.count, "active agent")) hold\(holders.count == 1 ? "s" : "") a Premium licence; enable them or assign standard licences",
                at: tenant.digitalChannels.location, path: "tenant.digitalChannels"))
    }
}

/// A word for a shell command line: as it is when it holds only characters no shell treats
/// specially, else in single quotes.
public enum ShellWord {
    public static func quoted(_ word: String) -> String {
        let plain =
            !word.isEmpty
            && word.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || "_./:=@%+-,".utf8.contains(byte)
            }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
