import XCTest

@testable import OutboundConfig

/// The gate of SPEC §3 on a tenant with one agent per case.
final class OutboundGateTests: XCTestCase {
    static let tenant = MarkedText(
        """
        tenant: {name: Gate, digitalChannels: enabled, timezone: Europe/Lisbon}
        licences:
          premium: {type: premium-agent, seats: 50, validFrom: 2026-01-01, validUntil: 1️⃣2026-12-31}
          standard: {type: standard-agent, seats: 50}
          future: {type: premium-agent, seats: 5, validFrom: 2027-01-01}
        multimediaProfiles:
          digital: {blending: blended, voice: 1, email: 2, social: 2}
          email-manual: {blending: blended, email: {assignment: 2️⃣manual, slots: 3}, social: 1}
          email-only: {blending: blended, email: 1}
          social-only: {blending: exclusive, social: 1}
        sites:
          lisbon: {name: Lisbon, multimediaProfile: social-only}
          boston: {name: Boston}
        teams:
          digital: {site: lisbon, multimediaProfile: digital}
          plain: {site: lisbon}
          east: {site: boston}
          manual: {site: lisbon, multimediaProfile: email-manual}
        desktopProfiles:
          all: {}
          email-desk: {outboundEntryPoints: [email-main]}
          none: {outboundEntryPoints: 3️⃣[]}
        entryPoints:
          sms-main: {channel: sms, address: "+14155550100", outbound: true, queue: sms-q}
          email-main: {channel: email, address: help@gate.example, outbound: true, queue: email-q}
        queues:
          sms-q: {channel: sms, teams: [digital]}
          email-q: {channel: email, teams: [digital]}
        wrapUpReasons:
          resolved: {description: Resolved, default: true}
          spam: {description: Spam, active: false}
        agents:
          ok: {name: Ok, licence: premium, site: lisbon, teams: [digital], desktopProfile: all}
          gone: {name: Gone, licence: premium, site: lisbon, teams: [digital], desktopProfile: all, active: 4️⃣false}
          std: {name: Std, licence: standard, site: lisbon, teams: [digital], desktopProfile: all}
          early: {name: Early, licence: future, site: lisbon, teams: [digital], desktopProfile: all}
          manual: {name: Manual, licence: premium, site: lisbon, teams: [digital], desktopProfile: all, multimediaProfile: email-manual}
          site-profile: {name: Site, licence: premium, site: lisbon, teams: [plain], desktopProfile: all}
          builtin: {name: Builtin, licence: premium, site: boston, teams: [east], desktopProfile: all}
          desk: {name: Desk, licence: premium, site: lisbon, teams: [digital], desktopProfile: email-desk}
          blind: {name: Blind, licence: premium, site: lisbon, teams: [digital], desktopProfile: none}
          multi: {name: Multi, licence: premium, site: lisbon, teams: [digital, manual, east], desktopProfile: all}
        """)

    private func gate(date: String = "2026-06-01", state: AgentState? = nil, tenant: String = OutboundGateTests.tenant.text) throws -> OutboundGate {
        let result = ConfigurationLoader(now: Date()).load(documents: [(path: "gate.yaml", text: tenant)])
        XCTAssertEqual(result.diagnostics.filter { $0.severity == .error }.map(\.message), [])
        return OutboundGate(configuration: result.configuration, date: try XCTUnwrap(CalendarDate(date)), state: state)
    }

    private func reasons(_ gate: OutboundGate, _ agent: String, team: String? = nil, _ channel: Channel) throws -> Set<ReasonCode> {
        let found = try XCTUnwrap(gate.configuration.agents[agent], agent)
        return Set(gate.evaluate(found, team: team ?? found.teams[0].value, channel: channel).reasons)
    }

    func testEveryReasonCodeExactly() throws {
        let gate = try gate()
        let expected: [(String, Channel, Set<ReasonCode>)] = [
            ("ok", .sms, []), ("ok", .email, []),
            ("gone", .sms, [.agentInactive]),
            ("std", .email, [.licenceNotPremium]),
            ("early", .sms, [.licenceNotYetValid]),
            ("manual", .email, [.slotManual]), ("manual", .sms, []),
            ("site-profile", .email, [.slotNone]), ("site-profile", .sms, []),
            ("builtin", .sms, [.slotNone]), ("builtin", .email, [.slotNone]),
            ("desk", .sms, [.entryPointNotAllowed]), ("desk", .email, []),
            ("blind", .email, [.entryPointNotAllowed]),
        ]
        for (agent, channel, reasons) in expected {
            XCTAssertEqual(try self.reasons(gate, agent, channel), reasons, "\(agent) \(channel)")
        }
        XCTAssertEqual(try reasons(try self.gate(date: "2027-01-02"), "ok", .sms), [.licenceExpired])
    }

    func testTenantWideReasons() throws {
        let disabled = OutboundGateTests.tenant.text
            .replacingOccurrences(of: "digitalChannels: enabled", with: "digitalChannels: disabled")
            .replacingOccurrences(
                of: "sms-main: {channel: sms, address: \"+14155550100\", outbound: true", with: "sms-main: {channel: sms, address: \"+14155550100\"")
        let gate = try gate(tenant: disabled)
        XCTAssertEqual(try reasons(gate, "ok", .sms), [.tenantDigitalDisabled, .noEntryPoint])
        XCTAssertEqual(try reasons(gate, "ok", .email), [.tenantDigitalDisabled])
        let answer = gate.evaluate(gate.configuration.agents["ok"]!, team: "digital", channel: .sms)
        XCTAssertEqual(answer.checks.first { $0.check == "desktop-entry-points" }?.outcome, .skipped, "check 8 is skipped after no-entry-point")
    }

    func testAllChecksRunAndEveryFailureIsReported() throws {
        let text =
            OutboundGateTests.tenant.text
            + "\n  worst: {name: W, licence: standard, site: boston, teams: [east], desktopProfile: none, active: false}\n"
        let gate = try gate(state: .offline, tenant: text)
        XCTAssertEqual(try reasons(gate, "worst", .sms), [.agentInactive, .licenceNotPremium, .slotNone, .entryPointNotAllowed, .stateNotAllowed])
        let answer = gate.evaluate(gate.configuration.agents["worst"]!, team: "east", channel: .sms)
        XCTAssertEqual(answer.checks.map(\.check), GateCheck.all.map(\.id))
        XCTAssertEqual(answer.checks.first { $0.check == "auto-pushed" }?.outcome, .skipped, "check 6 is skipped after slot-none")
        XCTAssertEqual(answer.reasons, answer.reasons.sorted(), "reasons follow check order")
    }

    func testRuntimeState() throws {
        XCTAssertEqual(try reasons(try gate(state: .available), "ok", .sms), [])
        XCTAssertEqual(try reasons(try gate(state: .rona), "ok", .sms), [])
        for state in [AgentState.idle, .engaged, .wrapUp, .offline] {
            XCTAssertEqual(try reasons(try gate(state: state), "ok", .email), [.stateNotAllowed], state.rawValue)
        }
        let unknown = try gate().evaluate(try gate().configuration.agents["ok"]!, team: "digital", channel: .sms)
        XCTAssertEqual(unknown.checks.last?.outcome, .skipped)
        XCTAssertTrue(unknown.available)
    }

    func testLicenceDatesAreInclusive() throws {
        XCTAssertEqual(try reasons(try gate(date: "2026-12-31"), "ok", .sms), [])
        XCTAssertEqual(try reasons(try gate(date: "2026-01-01"), "ok", .sms), [])
        XCTAssertEqual(try reasons(try gate(date: "2025-12-31"), "ok", .sms), [.licenceNotYetValid])
        XCTAssertEqual(try reasons(try gate(date: "2027-01-01"), "early", .sms), [])
    }

    func testProfileInheritance() throws {
        let gate = try gate()
        func resolved(_ agent: String, _ team: String) -> (String, ResolvedProfile.Origin) {
            let answer = gate.evaluate(gate.configuration.agents[agent]!, team: team, channel: .sms)
            return (answer.profile.profile.id, answer.profile.origin)
        }
        XCTAssertTrue(resolved("manual", "digital") == ("email-manual", .agent), "agent level wins over the team")
        XCTAssertTrue(resolved("ok", "digital") == ("digital", .team("digital")))
        XCTAssertTrue(resolved("site-profile", "plain") == ("social-only", .site("lisbon")))
        XCTAssertTrue(resolved("builtin", "east") == ("default-telephony", .builtIn))
    }

    func testAgentInSeveralTeamsGetsAnAnswerPerTeam() throws {
        let gate = try gate()
        let multi = gate.configuration.agents["multi"]!
        let answers = gate.answers(for: multi, channels: [.email])
        XCTAssertEqual(answers.map(\.team), ["digital", "east", "manual"])
        XCTAssertEqual(answers.map { Set($0.reasons) }, [[], [.slotNone], [.slotManual]])
        XCTAssertEqual(gate.answers(for: multi, team: "manual", channels: [.email]).map(\.team), ["manual"])
    }

    func testEachCheckNamesTheNodeThatDecidedIt() throws {
        let gate = try gate()
        let marked = OutboundGateTests.tenant
        func source(_ agent: String, _ channel: Channel, _ check: String) -> SourceLocation? {
            let found = gate.configuration.agents[agent]!
            return gate.evaluate(found, team: found.teams[0].value, channel: channel).checks.first { $0.check == check }?.source
        }
        func at(_ marker: String) -> SourceLocation {
            SourceLocation(file: "gate.yaml", line: marked.positions[marker]!.line, column: marked.positions[marker]!.column)
        }
        XCTAssertEqual(source("ok", .sms, "licence-valid"), at("1️⃣"))
        XCTAssertEqual(source("manual", .email, "auto-pushed"), at("2️⃣"))
        XCTAssertEqual(source("blind", .sms, "desktop-entry-points"), at("3️⃣"))
        XCTAssertEqual(source("gone", .sms, "agent-active"), at("4️⃣"))
        XCTAssertNil(source("builtin", .sms, "media-slots"), "the built-in profile has no file location")
    }

    func testAvailableAnswersListWhatTheAgentSees() throws {
        let gate = try gate()
        let answer = gate.evaluate(gate.configuration.agents["desk"]!, team: "digital", channel: .email)
        XCTAssertEqual(answer.offer, GateAnswer.Offer(fromEntryPoints: ["email-main"], transferQueues: ["email-q"], wrapUpReasons: ["resolved"]))
        XCTAssertNil(gate.evaluate(gate.configuration.agents["desk"]!, team: "digital", channel: .sms).offer)
    }

    func testBulkReasonsMatchTheExplainedAnswers() throws {
        let gate = try gate(state: .idle)
        for agent in gate.configuration.agents.values {
            for team in agent.teams {
                for channel in Channel.outbound {
                    XCTAssertEqual(
                        gate.reasons(agent, team: team.value, channel: channel),
                        gate.evaluate(agent, team: team.value, channel: channel).reasons, "\(agent.id) \(team.value) \(channel)")
                }
            }
        }
    }

    func testBulkCellsAreInKeyOrderAndMatchTheExplainedAnswers() throws {
        let gate = try gate(state: .idle)
        let all = gate.sortedCells()
        XCTAssertEqual(all.map(\.0), all.map(\.0).sorted(), "agents, then teams, then channels in order")
        var expected: [AvailabilityKey] = []
        for agent in gate.configuration.agents.values {
            for team in agent.teams {
                for channel in Channel.outbound { expected.append(AvailabilityKey(agent: agent.id, team: team.value, channel: channel)) }
            }
        }
        XCTAssertEqual(all.map(\.0), expected.sorted())
        for (key, reasons) in all {
            let agent = try XCTUnwrap(gate.configuration.agents[key.agent])
            XCTAssertEqual(reasons, gate.evaluate(agent, team: key.team, channel: key.channel).reasons, "\(key)")
        }
        let matrix = gate.matrix { $0.site.value == "lisbon" }
        XCTAssertEqual(
            matrix.map(\.0),
            all.map(\.0).filter { key in
                let agent = gate.configuration.agents[key.agent]!
                return agent.active.value && agent.site.value == "lisbon"
            })
    }

    func testReadinessWarnings() throws {
        let result = ConfigurationLoader(date: CalendarDate("2026-06-01"), now: Date()).load(documents: [
            (path: "gate.yaml", text: OutboundGateTests.tenant.text)
        ])
        let warned = Dictionary(grouping: result.diagnostics.filter { $0.severity == .warning }, by: \.code)
        XCTAssertEqual(
            Set(warned[.premiumLicenceUnused, default: []].map(\.path)),
            ["agents.early.licence", "agents.builtin.licence", "agents.blind.licence"])
        XCTAssertEqual(warned[.unusedMultimediaProfile]?.map(\.path), ["multimediaProfiles.email-only"])
        XCTAssertNil(warned[.unusedDesktopProfile])
        XCTAssertNil(warned[.digitalDisabledWithPremium])
    }
}
