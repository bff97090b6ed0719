import Foundation

/// Writes a synthetic tenant of `agents` agents over several files, shaped like a real one:
/// a few profiles (one manual), sites, teams of about 50 agents, queues and entry points.
/// Deterministic for a given size, so runs compare.
struct SyntheticTenant {
    let agents: Int

    func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let teams = max(1, agents / 50)
        let sites = max(1, teams / 20)
        var tenant = """
            version: 1
            tenant:
              name: Synthetic \(agents)
              digitalChannels: enabled
              timezone: Europe/Lisbon
            licences:
              premium:
                type: premium-agent
                seats: \(agents)
                validFrom: 2026-01-01
                validUntil: 2099-12-31
              standard:
                type: standard-agent
                seats: \(agents)

            """
        tenant += """
            multimediaProfiles:
              digital:
                blending: blended
                voice: 1
                chat: 2
                email: { assignment: auto-pushed, slots: 2 }
                social: 2
              email-manual:
                blending: blended
                voice: 1
                email: { assignment: manual, slots: 3 }
                social: 1
              voice:
                blending: blended
                voice: 1
            desktopProfiles:
              frontline:
                outboundEntryPoints: all
                wrapUpReasons: all
              email-desk:
                outboundEntryPoints: [email-support]
                wrapUpReasons: all
            entryPoints:
              sms-support: { channel: sms, address: "+14155550100", outbound: true, queue: sms-q }
              email-support: { channel: email, address: support@synthetic.example, outbound: true, queue: email-q }
            wrapUpReasons:
              resolved: { description: Resolved, default: true }
              escalated: { description: Escalated }

            """
        try tenant.write(toFile: "\(directory)/tenant.yaml", atomically: true, encoding: .utf8)

        var organisation = "sites:\n"
        for site in 0..<sites {
            organisation += "  site-\(site):\n    name: Site \(site)\n    multimediaProfile: \(site % 10 == 9 ? "voice" : "digital")\n"
        }
        organisation += "teams:\n"
        for team in 0..<teams {
            organisation += "  team-\(team):\n    name: Team \(team)\n    site: site-\(team % sites)\n"
            if team % 7 == 3 { organisation += "    multimediaProfile: email-manual\n" }
        }
        let teamList = (0..<teams).map { "team-\($0)" }.joined(separator: ", ")
        organisation += "queues:\n  sms-q:\n    channel: sms\n    teams: [\(teamList)]\n    wrapUpReasons: [resolved, escalated]\n"
        organisation += "  email-q:\n    channel: email\n    teams: [\(teamList)]\n"
        try organisation.write(toFile: "\(directory)/organisation.yaml", atomically: true, encoding: .utf8)

        let perFile = 10_000
        for chunk in stride(from: 0, to: agents, by: perFile) {
            var text = "agents:\n"
            text.reserveCapacity(perFile * 220)
            for index in chunk..<min(agents, chunk + perFile) {
                let team = index % teams
                text += """
                      agent-\(index):
                        name: Agent Number \(index)
                        email: agent-\(index)@synthetic.example
                        licence: \(index % 10 == 9 ? "standard" : "premium")
                        site: site-\(team % sites)
                        teams: [team-\(team)\(index % 25 == 0 ? ", team-\((team + 1) % teams)" : "")]
                        desktopProfile: \(index % 13 == 0 ? "email-desk" : "frontline")

                    """
                if index % 17 == 0 { text += "    multimediaProfile: email-manual\n" }
                if index % 101 == 0 { text += "    active: false\n" }
            }
            let name = String(format: "agents-%03d.yaml", chunk / perFile)
            try text.write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8)
        }
    }
}
