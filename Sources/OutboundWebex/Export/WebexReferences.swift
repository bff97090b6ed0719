import OutboundConfig

extension WebexExport {
    /// Every Webex id one item gives for another (`team.siteId`, `user.teamIds[]`, a queue's
    /// `agentGroups[].teamId`, …) names an item of the export: a dangling one is an error at its
    /// JSON path, since the import could not map it to anything. A reference into a list whose
    /// file is absent is one error for the whole referring file. Run only on an export that read
    /// without errors, where a missing item is really missing rather than undecodable.
    ///
    /// Agent profiles' `entryPoints` and `wrapUpCodes` are not checked here: Cisco's document
    /// does not say whether they hold ids or names (its examples look like names), which the
    /// mapping decides.
    func referenceProblems(present: Set<WebexResource>) -> [WebexInputProblem] {
        var problems: [WebexInputProblem] = []
        var reportedAbsent = Set<String>()
        // The item's location and the path are worked out only for a problem: checking the
        // references of 50,000 users otherwise made as many strings.
        func check(_ source: WebexResource, _ item: some WebexItem, _ path: @autoclosure () -> String, _ target: WebexResource, _ id: String?) {
            guard let id, locations[target]?[id] == nil, let location = locations[source]?[item.id] else { return }
            guard present.contains(target) else {
                if reportedAbsent.insert("\(location.file) \(target.rawValue)").inserted {
                    problems.append(
                        WebexInputProblem(
                            .error, file: location.file,
                            message: "refers to \(target.rawValue) ids, but there is no \(target.fileName(page: 1))"))
                }
                return
            }
            problems.append(
                WebexInputProblem(
                    .error, file: location.file, jsonPath: location.jsonPath + path(),
                    message: "'\(id)' is not the id of any item of \(target.fileName(page: 1))"))
        }
        for site in sites {
            check(.site, site, ".multimediaProfileId", .multimediaProfile, site.multimediaProfileId)
        }
        for team in teams {
            check(.team, team, ".siteId", .site, team.siteId)
            check(.team, team, ".multiMediaProfileId", .multimediaProfile, team.multiMediaProfileId)
            for (index, user) in (team.userIds ?? []).enumerated() {
                check(.team, team, ".userIds[\(index)]", .user, user)
            }
        }
        for user in users {
            check(.user, user, ".siteId", .site, user.siteId)
            for (index, team) in (user.teamIds ?? []).enumerated() {
                check(.user, user, ".teamIds[\(index)]", .team, team)
            }
            check(.user, user, ".agentProfileId", .agentProfile, user.agentProfileId)
            check(.user, user, ".multimediaProfileId", .multimediaProfile, user.multimediaProfileId)
            check(.user, user, ".userProfileId", .userProfile, user.userProfileId)
        }
        for queue in queues {
            for (group, distribution) in queue.callDistributionGroups.enumerated() {
                for (index, agentGroup) in (distribution.agentGroups ?? []).enumerated() {
                    check(.queue, queue, ".callDistributionGroups[\(group)].agentGroups[\(index)].teamId", .team, agentGroup.teamId)
                }
            }
        }
        return problems
    }
}
