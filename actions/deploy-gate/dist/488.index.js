export const id = 488;
export const ids = [488];
export const modules = {

/***/ 6488:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   githubEvidence: () => (/* binding */ githubEvidence)
/* harmony export */ });
/** Every list is read 100 to a page (GitHub's maximum; the default is 30). */
const PER_PAGE = 100;
function status(error) {
    return error?.status;
}
function message(error) {
    const e = error;
    return e?.response?.data?.message ?? e?.message ?? String(error);
}
function toCheckRun(run) {
    return {
        id: run.id,
        name: run.name,
        status: run.status,
        conclusion: run.conclusion,
        startedAt: run.started_at ?? undefined,
        appId: run.app?.id,
        appSlug: run.app?.slug,
        checkSuiteId: run.check_suite?.id,
        htmlUrl: run.html_url ?? undefined,
        detailsUrl: run.details_url ?? undefined,
    };
}
/** The checklist's evidence, read from GitHub's REST API with the shared client (retries, rate limits, GHES). */
function githubEvidence(octokit, repository) {
    const { owner, repo } = repository;
    const base = { owner, repo };
    return {
        async pullRequestsForCommit(sha) {
            const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
                ...base,
                commit_sha: sha,
                per_page: PER_PAGE,
            });
            return data.map((p) => ({
                number: p.number,
                title: p.title,
                body: p.body ?? '',
                state: p.state,
                author: p.user?.login,
                headSha: p.head.sha,
                mergeCommitSha: p.merge_commit_sha ?? undefined,
                mergedAt: p.merged_at ?? undefined,
                htmlUrl: p.html_url,
            }));
        },
        async reviews(pullNumber) {
            const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
                ...base,
                pull_number: pullNumber,
                per_page: PER_PAGE,
            });
            return reviews.map((r) => ({
                id: r.id,
                reviewer: r.user?.login,
                state: r.state,
                submittedAt: r.submitted_at ?? undefined,
                htmlUrl: r.html_url,
                association: r.author_association,
            }));
        },
        /** The first page says how many there are; the other pages are then read at the same time. */
        async checkRuns(sha) {
            const params = { ...base, ref: sha, per_page: PER_PAGE, filter: 'latest' };
            const first = await octokit.rest.checks.listForRef(params);
            const pages = Math.ceil(first.data.total_count / PER_PAGE);
            const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => octokit.rest.checks.listForRef({ ...params, page: i + 2 })));
            return [first, ...rest].flatMap((page) => page.data.check_runs.map(toCheckRun));
        },
        async statuses(sha) {
            const statuses = await octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, {
                ...base,
                ref: sha,
                per_page: PER_PAGE,
            });
            return statuses.map((s) => ({
                id: s.id,
                context: s.context,
                state: s.state,
                description: s.description ?? undefined,
                targetUrl: s.target_url ?? undefined,
                createdAt: s.created_at,
            }));
        },
        async workflowRunCheckSuite(runId) {
            const { data } = await octokit.rest.actions.getWorkflowRun({ ...base, run_id: runId });
            return data.check_suite_id ?? undefined;
        },
        async codeScanningAnalyses(ref) {
            try {
                const { data } = await octokit.rest.codeScanning.listRecentAnalyses({
                    ...base,
                    per_page: PER_PAGE,
                    ...(ref ? { ref } : {}),
                });
                return {
                    enabled: true,
                    analyses: data.map((a) => ({
                        id: a.id,
                        commitSha: a.commit_sha,
                        ref: a.ref,
                        tool: a.tool?.name ?? undefined,
                        createdAt: a.created_at,
                    })),
                };
            }
            catch (error) {
                // 403 "Code scanning is not enabled…" / "Advanced Security must be enabled…"; 404 "no analysis found".
                if (status(error) === 403 && /not enabled|advanced security/i.test(message(error)))
                    return { enabled: false, message: message(error) };
                if (status(error) === 404 && /no analysis found/i.test(message(error)))
                    return { enabled: true, analyses: [] };
                throw error;
            }
        },
        async openCodeScanningAlerts(ref) {
            const alerts = await octokit.paginate(octokit.rest.codeScanning.listAlertsForRepo, {
                ...base,
                state: 'open',
                per_page: PER_PAGE,
                ...(ref ? { ref } : {}),
            });
            return alerts.map((a) => ({
                number: a.number,
                rule: a.rule.name ?? a.rule.id ?? 'unknown rule',
                securitySeverity: a.rule.security_severity_level ?? undefined,
                htmlUrl: a.html_url,
            }));
        },
        async deployments(environment, sha) {
            const { data } = await octokit.rest.repos.listDeployments({
                ...base,
                environment,
                per_page: PER_PAGE,
                ...(sha ? { sha } : {}),
            });
            return data
                .map((d) => ({ id: d.id, sha: d.sha, environment: d.environment, createdAt: d.created_at }))
                .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
        },
        async deploymentStatuses(deploymentId) {
            const { data } = await octokit.rest.repos.listDeploymentStatuses({
                ...base,
                deployment_id: deploymentId,
                per_page: PER_PAGE,
            });
            return data
                .map((s) => ({
                id: s.id,
                state: s.state,
                createdAt: s.created_at,
                logUrl: s.log_url || s.target_url || undefined,
            }))
                .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
        },
        /** Without paging parameters GitHub lists up to 300 changed files, which is what the item needs. */
        async compare(baseSha, headSha) {
            const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
                ...base,
                basehead: `${baseSha}...${headSha}`,
            });
            return {
                status: data.status,
                aheadBy: data.ahead_by,
                behindBy: data.behind_by,
                files: (data.files ?? []).flatMap((f) => f.previous_filename ? [f.filename, f.previous_filename] : [f.filename]),
                htmlUrl: data.html_url,
            };
        },
        async file(path, sha) {
            try {
                const { data } = await octokit.rest.repos.getContent({ ...base, path, ref: sha });
                if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
                    return undefined;
                const text = Buffer.from(data.content, data.encoding || 'base64').toString('utf8');
                return { path: data.path, text, htmlUrl: data.html_url ?? `${data.url}` };
            }
            catch (error) {
                if (status(error) === 404)
                    return undefined;
                throw error;
            }
        },
        async tree(sha) {
            const { data } = await octokit.rest.git.getTree({ ...base, tree_sha: sha, recursive: 'true' });
            return {
                paths: data.tree.flatMap((t) => (t.type === 'blob' && t.path ? [t.path] : [])),
                truncated: data.truncated,
            };
        },
        async issueComments(issueNumber) {
            const comments = await octokit.paginate(octokit.rest.issues.listComments, {
                ...base,
                issue_number: issueNumber,
                per_page: PER_PAGE,
            });
            return comments.map((c) => ({ id: c.id, body: c.body ?? '', author: c.user?.login, htmlUrl: c.html_url }));
        },
        /** Not retried by the client: a retried POST whose first response was lost would post twice. The item looks, then retries. */
        async createIssueComment(issueNumber, body) {
            const { data } = await octokit.rest.issues.createComment({
                ...base,
                issue_number: issueNumber,
                body,
                request: { retries: 0 },
            });
            return { id: data.id, body: data.body ?? '', author: data.user?.login, htmlUrl: data.html_url };
        },
    };
}


/***/ })

};
