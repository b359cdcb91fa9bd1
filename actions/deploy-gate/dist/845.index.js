export const id = 845;
export const ids = [845,958];
export const modules = {

/***/ 5958:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ explainGitHubError),
/* harmony export */   createGitHubClient: () => (/* binding */ createGitHubClient),
/* harmony export */   githubContext: () => (/* binding */ githubContext),
/* harmony export */   links: () => (/* binding */ links),
/* harmony export */   requireRepository: () => (/* binding */ requireRepository)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(26);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9052);


function githubContext(env, repository = env.GITHUB_REPOSITORY) {
    const [owner = '', repo = ''] = (repository ?? '').split('/');
    const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
    return {
        apiUrl,
        serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, ''),
        graphqlUrl: env.GITHUB_GRAPHQL_URL || `${apiUrl}/graphql`,
        owner,
        repo,
        sha: env.GITHUB_SHA,
        ref: env.GITHUB_REF,
        actor: env.GITHUB_ACTOR,
        eventName: env.GITHUB_EVENT_NAME,
        eventPath: env.GITHUB_EVENT_PATH,
        runId: env.GITHUB_RUN_ID,
        runAttempt: env.GITHUB_RUN_ATTEMPT,
        workflow: env.GITHUB_WORKFLOW,
        job: env.GITHUB_JOB,
    };
}
function requireRepository(ctx) {
    if (!ctx.owner || !ctx.repo)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1([
            {
                field: 'GITHUB_REPOSITORY',
                message: 'must be set as owner/repo (the runner sets it; set it yourself locally)',
            },
        ]);
    return { owner: ctx.owner, repo: ctx.repo };
}
/** Links are built from GITHUB_SERVER_URL so they are right on GHES too. */
const links = {
    run: (c) => c.runId
        ? `${c.serverUrl}/${c.owner}/${c.repo}/actions/runs/${c.runId}${c.runAttempt ? `/attempts/${c.runAttempt}` : ''}`
        : undefined,
    commit: (c, sha = c.sha) => (sha ? `${c.serverUrl}/${c.owner}/${c.repo}/commit/${sha}` : undefined),
    issue: (c, n) => `${c.serverUrl}/${c.owner}/${c.repo}/issues/${n}`,
    pull: (c, n) => `${c.serverUrl}/${c.owner}/${c.repo}/pull/${n}`,
};
/** A stand-in for the throttling plugin's Bottleneck groups that runs every job at once. */
const unpaced = { key: () => ({ schedule: (_options, job) => job() }) };
/**
 * The one Octokit factory. Loaded lazily: only the code paths that talk to GitHub pay for it.
 * `octokit`'s client (REST, pagination, retry and throttling plugins) with @actions/github's
 * request options (proxy-aware fetch, orchestration user agent), against GITHUB_API_URL (GHES).
 */
async function createGitHubClient(options) {
    if (!options.token)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1([{ field: 'input "github-token"', message: 'is required' }]);
    (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(options.token);
    const [{ Octokit }, actions] = await Promise.all([Promise.all(/* import() */[__webpack_require__.e(291), __webpack_require__.e(923)]).then(__webpack_require__.bind(__webpack_require__, 2923)), Promise.all(/* import() */[__webpack_require__.e(291), __webpack_require__.e(176)]).then(__webpack_require__.bind(__webpack_require__, 7176))]);
    const log = options.log;
    const rateLimitRetries = options.rateLimitRetries ?? 3;
    const onLimit = (kind) => (retryAfter, request) => {
        const retry = request.request.retryCount < rateLimitRetries;
        log?.warning(`GitHub ${kind} rate limit on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfter}s` : 'giving up'}`);
        return retry;
    };
    return new Octokit(actions.getOctokitOptions(options.token, {
        baseUrl: options.context.apiUrl,
        userAgent: 'runbook-actions',
        request: { fetch: actions.defaults.request?.fetch },
        retry: { retries: options.retries ?? 3, retryAfterBaseValue: 1000 * (options.waitScale ?? 1) },
        throttle: {
            onRateLimit: onLimit('primary'),
            onSecondaryRateLimit: onLimit('secondary'),
            retryAfterBaseValue: 1000 * (options.waitScale ?? 1),
            ...(options.paceWrites === false ? { write: unpaced, notifications: unpaced } : {}),
        },
        log: {
            debug: (m) => log?.debug(m),
            info: (m) => log?.debug(m),
            warn: (m) => log?.warning(m),
            error: (m) => log?.error(m),
        },
    }));
}
const PERMISSION_HINTS = [
    [/\/check-runs|\/check-suites/, 'checks: read'],
    [/\/statuses|\/status\b/, 'statuses: read'],
    [/\/pulls|\/reviews/, 'pull-requests: read'],
    [/\/code-scanning/, 'security-events: read'],
    [/\/deployments/, 'deployments: read (write to create one)'],
    [/\/issues|\/labels|\/comments/, 'issues: write'],
    [/\/contents|\/compare|\/commits/, 'contents: read'],
];
/** Turns a 403/404 from GitHub into advice naming the permission the workflow must grant. */
function explainGitHubError(error) {
    const e = error;
    if (e?.status !== 403 && e?.status !== 404)
        return undefined;
    const url = e.request?.url ?? '';
    if (/rate limit/i.test(e.message ?? ''))
        return 'GitHub rate limit exceeded; retry later';
    const hint = PERMISSION_HINTS.find(([re]) => re.test(url))?.[1];
    const what = `${e.request?.method ?? 'GET'} ${url.replace(/^https?:\/\/[^/]+/, '')} returned ${e.status}`;
    return hint
        ? `${what}: the token probably lacks \`${hint}\` — add it to the workflow's \`permissions:\``
        : `${what}: check the token's permissions`;
}


/***/ }),

/***/ 1845:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ITEMS: () => (/* binding */ ITEMS),
  runGate: () => (/* binding */ runGate)
});

// EXTERNAL MODULE: ./.tmp/build/src/core/errors.js
var errors = __webpack_require__(26);
// EXTERNAL MODULE: ./.tmp/build/src/core/github.js
var github = __webpack_require__(5958);
// EXTERNAL MODULE: ./.tmp/build/src/core/duration.js
var duration = __webpack_require__(5389);
;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/checks.js

function namedLikeJob(run, jobName) {
    const base = run.name.includes(' / ') ? run.name.slice(run.name.lastIndexOf(' / ') + 3) : run.name;
    return [run.name, base].some((n) => n === jobName || n.startsWith(`${jobName} (`));
}
function linksIntoRun(run, runId) {
    return [run.detailsUrl, run.htmlUrl].some((url) => url?.includes(`/actions/runs/${runId}/`));
}
function isRunningJob(run, job) {
    if (!job.jobName || job.runId === undefined || !namedLikeJob(run, job.jobName))
        return false;
    return linksIntoRun(run, job.runId) || (job.checkSuiteId !== undefined && run.checkSuiteId === job.checkSuiteId);
}
/** Whether telling the running job apart needs its check suite: a check run has its name, and no URL decides. */
function needsCheckSuite(runs, job) {
    const { jobName, runId } = job;
    if (!jobName || runId === undefined || job.checkSuiteId !== undefined)
        return false;
    return runs.some((run) => namedLikeJob(run, jobName) && !linksIntoRun(run, runId));
}
function later(a, b) {
    const ta = a.startedAt ? Date.parse(a.startedAt) : 0;
    const tb = b.startedAt ? Date.parse(b.startedAt) : 0;
    return ta !== tb ? ta > tb : a.id > b.id;
}
/** A re-run leaves the old check run behind: keep the latest per (app, name). */
function latestCheckRuns(runs) {
    const latest = new Map();
    for (const run of runs) {
        const key = `${run.appId ?? run.appSlug ?? ''}\u0000${run.name}`;
        const seen = latest.get(key);
        if (!seen || later(run, seen))
            latest.set(key, run);
    }
    return [...latest.values()];
}
/** Statuses are append-only: keep the latest per context. */
function latestStatuses(statuses) {
    const latest = new Map();
    for (const status of statuses) {
        const seen = latest.get(status.context);
        if (!seen || later({ startedAt: status.createdAt, id: status.id }, { startedAt: seen.createdAt, id: seen.id }))
            latest.set(status.context, status);
    }
    return [...latest.values()];
}
function checkRunEntry(run) {
    const url = run.htmlUrl ?? run.detailsUrl;
    if (run.status !== 'completed')
        return { kind: 'check-run', name: run.name, state: 'pending', detail: run.status, url };
    const conclusion = run.conclusion ?? 'unknown';
    const state = conclusion === 'success'
        ? 'success'
        : conclusion === 'neutral'
            ? 'neutral'
            : conclusion === 'skipped'
                ? 'skipped'
                : 'failure';
    return { kind: 'check-run', name: run.name, state, detail: conclusion, url };
}
function statusEntry(status) {
    const state = status.state === 'success' ? 'success' : status.state === 'pending' ? 'pending' : 'failure';
    return { kind: 'status', name: status.context, state, detail: status.state, url: status.targetUrl };
}
/** One reading of every check run and status on `sha` (each list fetched once, both at the same time). */
async function readChecks(evidence, sha, runningJob, lookupCheckSuite = async () => undefined) {
    const [runs, statuses] = await Promise.all([evidence.checkRuns(sha), evidence.statuses(sha)]);
    const latest = latestCheckRuns(runs);
    const job = needsCheckSuite(latest, runningJob)
        ? { ...runningJob, checkSuiteId: await lookupCheckSuite() }
        : runningJob;
    const excluded = [];
    const kept = [];
    for (const run of latest)
        (isRunningJob(run, job) ? excluded : kept).push(run);
    return {
        entries: [...kept.map(checkRunEntry), ...latestStatuses(statuses).map(statusEntry)].sort((a, b) => a.name.localeCompare(b.name)),
        excluded,
    };
}
/** A check is found by its exact name, or by its job name inside a reusable workflow (`caller / name`). */
function findCheck(entries, name) {
    const candidates = entries.filter((e) => e.name === name || e.name.endsWith(` / ${name}`));
    return candidates.find((e) => e.state === 'success') ?? candidates[0];
}
function missingRequired(entries, required) {
    return required.filter((name) => !findCheck(entries, name));
}
/** Reads the checks, and while some are pending (or required ones missing) polls until `waitMs` has passed. */
async function settleChecks(evidence, sha, job, options) {
    const started = options.clock.now().getTime();
    for (;;) {
        const snapshot = await readChecks(evidence, sha, job, options.lookupCheckSuite);
        const waiting = [
            ...snapshot.entries.filter((e) => e.state === 'pending').map((e) => e.name),
            ...missingRequired(snapshot.entries, options.required),
        ];
        const waitedMs = options.clock.now().getTime() - started;
        const left = options.waitMs - waitedMs;
        if (waiting.length === 0 || left <= 0)
            return { ...snapshot, waitedMs };
        options.log?.info(`waiting for ${waiting.length} check${waiting.length === 1 ? '' : 's'} (${waiting.slice(0, 5).join(', ')}${waiting.length > 5 ? ', …' : ''}); ${(0,duration/* formatDuration */.a3)(left)} left`);
        await options.clock.sleep(Math.min(options.intervalMs, left), options.signal);
    }
}

;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/context.js

function result(item, status, reason, evidenceUrl) {
    return evidenceUrl ? { item, status, reason, evidenceUrl } : { item, status, reason };
}
function shortSha(sha) {
    return sha.slice(0, 7);
}
function memo(load) {
    let value;
    return () => {
        value ??= load();
        return value;
    };
}
/**
 * Picks the pull request that brought `sha`: the one merged as this very commit, else the one whose head it is,
 * else any merged one (the commit came in through it), else an open one.
 */
function choosePullRequest(pulls, sha) {
    return (pulls.find((p) => p.mergedAt && p.mergeCommitSha === sha) ??
        pulls.find((p) => p.headSha === sha) ??
        pulls.find((p) => p.mergedAt) ??
        pulls.find((p) => p.state === 'open'));
}
function createItemContext(options, otherItems) {
    const tests = options.deploy.checklist.tests;
    const { serverUrl, owner, repo } = options.github;
    const checkSuite = memo(async () => {
        const { runId } = options.runningJob;
        if (runId === undefined)
            return undefined;
        try {
            return await options.evidence.workflowRunCheckSuite(runId);
        }
        catch (error) {
            options.log.warning(`could not read workflow run ${runId} to recognise this job's own check run (${error.message}): grant \`actions: read\`, or this job counts as a pending check`);
            return undefined;
        }
    });
    return {
        ...options,
        pullRequest: memo(async () => choosePullRequest(await options.evidence.pullRequestsForCommit(options.sha), options.sha)),
        checks: memo(async () => settleChecks(options.evidence, options.sha, options.runningJob, {
            lookupCheckSuite: checkSuite,
            waitMs: tests.wait,
            intervalMs: tests.interval,
            required: tests.enabled ? tests.requiredChecks : [],
            clock: options.clock,
            log: options.log,
        })),
        otherItems,
        url: (path) => `${serverUrl}/${owner}/${repo}/${path.replace(/^\//, '')}`,
    };
}

;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/items/code-review.js

/** Whose reviews count: people with a role in the repository, as branch protection counts them. */
const INSIDERS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);
/**
 * Each reviewer's standing is their latest review that takes a position: APPROVED, CHANGES_REQUESTED or
 * DISMISSED. A later COMMENTED review does not withdraw an approval (GitHub counts it the same way); pending
 * (unsubmitted) reviews, the author's own reviews and reviews by people who are not owners, members or
 * collaborators (`author_association`) do not count. GraphQL `reviewDecision` is not used: it is null unless
 * branch protection requires reviews.
 */
function tallyReviews(reviews, author) {
    const ordered = [...reviews].sort((a, b) => {
        const ta = a.submittedAt ? Date.parse(a.submittedAt) : 0;
        const tb = b.submittedAt ? Date.parse(b.submittedAt) : 0;
        return ta !== tb ? ta - tb : a.id - b.id;
    });
    const standing = new Map();
    const outsiders = new Set();
    for (const review of ordered) {
        if (!review.reviewer || review.reviewer === author)
            continue;
        if (review.association !== undefined && !INSIDERS.has(review.association)) {
            outsiders.add(review.reviewer);
            continue;
        }
        if (['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(review.state))
            standing.set(review.reviewer, review);
    }
    const latest = [...standing.values()];
    return {
        approvedBy: latest.filter((r) => r.state === 'APPROVED').map((r) => r.reviewer),
        changesRequestedBy: latest
            .filter((r) => r.state === 'CHANGES_REQUESTED')
            .map((r) => ({ reviewer: r.reviewer, url: r.htmlUrl })),
        outsiders: [...outsiders].filter((login) => !standing.has(login)),
    };
}
async function codeReview(ctx) {
    const policy = ctx.deploy.checklist.codeReview;
    const pull = await ctx.pullRequest();
    if (!pull) {
        const commitUrl = ctx.url(`commit/${ctx.sha}`);
        return policy.allowDirectPush
            ? result('code-review', 'pass', `${shortSha(ctx.sha)} was pushed directly, without a pull request; the policy allows it (allowDirectPush)`, commitUrl)
            : result('code-review', 'fail', `${shortSha(ctx.sha)} belongs to no pull request (a direct push): nothing shows it was reviewed — merge it through a pull request, or set deploy.checklist.codeReview.allowDirectPush`, commitUrl);
    }
    const tally = tallyReviews(await ctx.evidence.reviews(pull.number), pull.author);
    const first = tally.changesRequestedBy[0];
    if (first) {
        return result('code-review', 'fail', `PR #${pull.number}: changes requested by ${tally.changesRequestedBy.map((c) => `@${c.reviewer}`).join(', ')} and not withdrawn`, first.url);
    }
    const approvers = tally.approvedBy.map((r) => `@${r}`).join(', ');
    if (tally.approvedBy.length < policy.approvals) {
        const outsiders = tally.outsiders.length
            ? `; not counted: ${tally.outsiders.map((r) => `@${r}`).join(', ')} (not an owner, member or collaborator)`
            : '';
        return result('code-review', 'fail', `PR #${pull.number}: ${tally.approvedBy.length} approval${tally.approvedBy.length === 1 ? '' : 's'}${approvers ? ` (${approvers})` : ''}, the policy requires ${policy.approvals}${outsiders}`, pull.htmlUrl);
    }
    return result('code-review', 'pass', `PR #${pull.number}: ${tally.approvedBy.length} approval${tally.approvedBy.length === 1 ? '' : 's'}${approvers ? ` (${approvers})` : ''} of ${policy.approvals} required, no changes requested`, pull.htmlUrl);
}

;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/glob.js
/**
 * Repository path patterns as the policy writes them: `*` within one path segment, `**` across segments,
 * `?` one character, `{a,b}` alternatives. Paths are relative, with `/`.
 */
function globToRegExp(pattern) {
    let out = '';
    let i = 0;
    let braces = 0;
    while (i < pattern.length) {
        const c = pattern[i];
        if (c === '*') {
            if (pattern[i + 1] === '*') {
                const slash = pattern[i + 2] === '/';
                out += slash ? '(?:.*/)?' : '.*';
                i += slash ? 3 : 2;
                continue;
            }
            out += '[^/]*';
        }
        else if (c === '?')
            out += '[^/]';
        else if (c === '{') {
            out += '(?:';
            braces++;
        }
        else if (c === '}' && braces > 0) {
            out += ')';
            braces--;
        }
        else if (c === ',' && braces > 0)
            out += '|';
        else
            out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
        i++;
    }
    return new RegExp(`^${out}$`);
}
function pathMatcher(patterns) {
    const compiled = patterns.map((p) => globToRegExp(p.replace(/^\.?\//, '')));
    return (path) => compiled.some((re) => re.test(path));
}

;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/items/migrations-tested.js



/** GitHub lists at most this many files in a comparison: a list this long may be cut short. */
const COMPARE_FILE_LIMIT = 300;
/** How many recent deployments are searched for the last successful one. */
const DEPLOYMENT_SEARCH_LIMIT = 30;
/** The newest deployment to `environment` that ever reported `success` (later ones may be `inactive`). */
async function lastSuccessfulDeployment(evidence, environment) {
    const deployments = (await evidence.deployments(environment)).slice(0, DEPLOYMENT_SEARCH_LIMIT);
    for (const deployment of deployments) {
        const success = (await evidence.deploymentStatuses(deployment.id)).find((s) => s.state === 'success');
        if (success)
            return { deployment, logUrl: success.logUrl };
    }
    return undefined;
}
/**
 * The migration dry-run check passed on this very commit; or, failing that evidence, the deploy changes no
 * migration file since the last successful deployment to the environment (nothing new to test).
 */
async function migrationsTested(ctx) {
    const policy = ctx.deploy.checklist.migrationsTested;
    const check = findCheck((await ctx.checks()).entries, policy.check);
    if (check?.state === 'success')
        return result('migrations-tested', 'pass', `check "${check.name}" passed on ${shortSha(ctx.sha)}`, check.url);
    if (check)
        return result('migrations-tested', 'fail', `check "${check.name}" did not pass on ${shortSha(ctx.sha)} (${check.detail})`, check.url);
    const last = await lastSuccessfulDeployment(ctx.evidence, ctx.environment);
    if (!last) {
        return result('migrations-tested', 'fail', `no check "${policy.check}" on ${shortSha(ctx.sha)}, and no successful ${ctx.environment} deployment to compare with: run the migration dry-run on this commit`, ctx.url(`commit/${ctx.sha}/checks`));
    }
    const base = last.deployment.sha;
    const since = `since the last successful ${ctx.environment} deployment (${shortSha(base)})`;
    if (base === ctx.sha)
        return result('migrations-tested', 'pass', `${shortSha(ctx.sha)} is already deployed to ${ctx.environment}: no new migrations`, last.logUrl);
    const comparison = await ctx.evidence.compare(base, ctx.sha);
    const isMigration = pathMatcher(policy.paths);
    const changed = comparison.files.filter(isMigration);
    if (changed.length) {
        return result('migrations-tested', 'fail', `${changed.length} migration file${changed.length === 1 ? '' : 's'} changed ${since}: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''} — and no check "${policy.check}" on ${shortSha(ctx.sha)}`, comparison.htmlUrl);
    }
    if (comparison.files.length >= COMPARE_FILE_LIMIT) {
        return result('migrations-tested', 'fail', `${comparison.files.length} files changed ${since}, more than GitHub lists in a comparison: cannot rule out migration changes — run check "${policy.check}"`, comparison.htmlUrl);
    }
    const behind = comparison.status === 'behind'
        ? ` (${shortSha(ctx.sha)} is ${comparison.behindBy} commits behind it: a rollback)`
        : '';
    return result('migrations-tested', 'pass', `no file matching ${policy.paths.join(', ')} changed ${since}; ${comparison.files.length} file${comparison.files.length === 1 ? '' : 's'} changed${behind}`, comparison.htmlUrl);
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/prometheus-rules.js

/** Prometheus durations: units y, w, d, h, m, s, ms in that order, e.g. `5m`, `1h30m`. */
const PROM_DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;
function prometheus_rules_text(value) {
    if (typeof value === 'string')
        return value.trim() || undefined;
    if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
    return undefined;
}
/**
 * Checks a Prometheus rule file (`groups: [{ name, rules: [...] }]`, as in the runbook's example). Every
 * alerting rule must have `expr`, `for`, `labels.severity` and `annotations.summary`; recording rules
 * (`record:`) are left alone. Problems carry the line, for annotations on the file.
 */
function checkRuleFile(file, source) {
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(source, { lineCounter, prettyErrors: false });
    const lineAt = (path) => {
        const node = doc.getIn(path, true);
        return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    };
    if (doc.errors.length) {
        return {
            alerts: [],
            problems: doc.errors.map((e) => ({
                file,
                line: lineCounter.linePos(e.pos[0]).line,
                message: `invalid YAML: ${e.message.split('\n')[0]}`,
            })),
        };
    }
    const problems = [];
    const alerts = [];
    const groups = (0,dist/* isMap */.jh)(doc.contents) ? doc.contents.get('groups', true) : undefined;
    if (!(0,dist/* isSeq */.oP)(groups)) {
        return { alerts, problems: [{ file, line: 1, message: 'has no `groups:` list: not a Prometheus rule file' }] };
    }
    const data = doc.toJS();
    data.groups.forEach((group, gi) => {
        const g = (group ?? {});
        const groupName = prometheus_rules_text(g.name);
        if (!groupName)
            problems.push({ file, line: lineAt(['groups', gi]), message: `groups[${gi}] has no name` });
        if (!Array.isArray(g.rules)) {
            problems.push({
                file,
                line: lineAt(['groups', gi]),
                message: `group "${groupName ?? gi}" has no \`rules:\` list`,
            });
            return;
        }
        g.rules.forEach((rule, ri) => {
            const r = (rule ?? {});
            const line = lineAt(['groups', gi, 'rules', ri]);
            if (r.record !== undefined && r.alert === undefined)
                return;
            const name = prometheus_rules_text(r.alert);
            const where = `rule ${name ? `"${name}"` : `groups[${gi}].rules[${ri}]`}`;
            const missing = [];
            if (!name)
                missing.push('alert');
            const expr = prometheus_rules_text(r.expr);
            if (!expr)
                missing.push('expr');
            const forText = prometheus_rules_text(r.for);
            if (!forText)
                missing.push('for');
            const labels = (r.labels && typeof r.labels === 'object' ? r.labels : {});
            const annotations = (r.annotations && typeof r.annotations === 'object' ? r.annotations : {});
            if (!prometheus_rules_text(labels.severity))
                missing.push('labels.severity');
            if (!prometheus_rules_text(annotations.summary))
                missing.push('annotations.summary');
            if (missing.length) {
                problems.push({ file, line, message: `${where} lacks ${missing.join(', ')}` });
                return;
            }
            if (!PROM_DURATION.test(forText)) {
                problems.push({ file, line, message: `${where}: \`for: ${forText}\` is not a Prometheus duration such as 5m` });
                return;
            }
            alerts.push({
                file,
                line,
                group: groupName ?? '',
                alert: name,
                expr: expr,
                labels: Object.fromEntries(Object.entries(labels).flatMap(([k, v]) => (prometheus_rules_text(v) ? [[k, prometheus_rules_text(v)]] : []))),
            });
        });
    });
    return { alerts, problems };
}
/**
 * A service is covered when an alerting rule is about it: a `service`, `app`, `job` or `deployment` label
 * names it, or its expression mentions it as a whole word (`job="api-gateway"`, `deployment=~"event-service"`).
 */
function coversService(rule, service) {
    if (['service', 'app', 'job', 'deployment'].some((key) => rule.labels[key] === service))
        return true;
    const escaped = service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\w-])${escaped}([^\\w-]|$)`).test(rule.expr);
}

;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/items/monitoring-alerts.js



/** More rule files than this is not a monitoring folder but a wrong pattern. */
const MAX_RULE_FILES = 100;
/**
 * At the commit being deployed, the repository holds Prometheus rule files (the policy's paths) that parse,
 * whose alerting rules are complete, and that cover every service being deployed.
 */
async function monitoringAlerts(ctx) {
    const policy = ctx.deploy.checklist.monitoringAlerts;
    const tree = await ctx.evidence.tree(ctx.sha);
    const matches = pathMatcher(policy.paths);
    const paths = tree.paths.filter(matches).sort();
    const folder = ctx.url(`tree/${ctx.sha}`);
    if (paths.length === 0) {
        return result('monitoring-alerts', 'fail', `no alert rule file matching ${policy.paths.join(', ')} at ${shortSha(ctx.sha)}${tree.truncated ? ' (GitHub truncated the file list)' : ''}`, folder);
    }
    if (paths.length > MAX_RULE_FILES) {
        return result('monitoring-alerts', 'fail', `${paths.length} files match ${policy.paths.join(', ')}: narrow deploy.checklist.monitoringAlerts.paths`, folder);
    }
    const files = await Promise.all(paths.map((path) => ctx.evidence.file(path, ctx.sha)));
    const alerts = [];
    const problems = [];
    for (const [i, file] of files.entries()) {
        if (!file) {
            problems.push({ file: paths[i], line: undefined, message: 'listed in the tree but could not be read' });
            continue;
        }
        const report = checkRuleFile(file.path, file.text);
        alerts.push(...report.alerts);
        problems.push(...report.problems);
    }
    for (const p of problems)
        ctx.log.warning(p.message, { title: 'Alert rules', file: p.file, ...(p.line ? { startLine: p.line } : {}) });
    const firstFile = files.find((f) => f?.path === (problems[0]?.file ?? paths[0]))?.htmlUrl ?? folder;
    if (problems.length) {
        const shown = problems.slice(0, 5).map((p) => `${p.file}${p.line ? `:${p.line}` : ''} ${p.message}`);
        return result('monitoring-alerts', 'fail', `${problems.length} problem${problems.length === 1 ? '' : 's'} in alert rules: ${shown.join('; ')}${problems.length > 5 ? '; …' : ''}`, firstFile);
    }
    if (alerts.length === 0)
        return result('monitoring-alerts', 'fail', `${paths.join(', ')} define${paths.length === 1 ? 's' : ''} no alerting rule`, firstFile);
    const uncovered = ctx.services.filter((s) => !alerts.some((rule) => coversService(rule, s)));
    if (uncovered.length) {
        return result('monitoring-alerts', 'fail', `no alert rule covers ${uncovered.join(', ')} (a rule covers a service through a service/app/job/deployment label or its expr)`, firstFile);
    }
    const coverage = ctx.services.length
        ? ` covering ${ctx.services.join(', ')}`
        : ' (no services given: coverage not checked)';
    return result('monitoring-alerts', 'pass', `${alerts.length} alert rule${alerts.length === 1 ? '' : 's'} in ${paths.length} file${paths.length === 1 ? '' : 's'}${coverage}`, firstFile);
}

;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/markdown.js
/**
 * Reading a pull request body the way a reviewer does: ticked checklist boxes and the text under a heading.
 * HTML comments (template hints) and fenced code blocks (examples) never count.
 */
function visibleLines(body) {
    const withoutComments = body.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
    const lines = [];
    let fence;
    for (const line of withoutComments.split(/\r?\n/)) {
        const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
        if (marker && (fence === undefined || marker.startsWith(fence))) {
            fence = fence === undefined ? marker : undefined;
            continue;
        }
        if (fence === undefined)
            lines.push(line);
    }
    return lines;
}
function normalise(text) {
    return text
        .replace(/[*_`~]/g, '')
        .replace(/\s+/g, ' ')
        .trim()
        .toLowerCase();
}
/** The text of every ticked task-list item (`- [x] …`) outside comments and code blocks. */
function tickedCheckboxes(body) {
    return visibleLines(body).flatMap((line) => {
        const match = /^\s*(?:[-*+]|\d+[.)])\s+\[[xX]\]\s+(.+)$/.exec(line);
        return match?.[1] ? [match[1].trim()] : [];
    });
}
/** True when a ticked box's text starts with `label` (case, emphasis and spacing ignored). */
function hasTickedCheckbox(body, label) {
    const wanted = normalise(label);
    return tickedCheckboxes(body).some((text) => {
        const got = normalise(text);
        return got === wanted || (got.startsWith(wanted) && /^[\s:.,;(—–]/.test(got.slice(wanted.length)));
    });
}
/**
 * The content under an ATX heading (`## Rollback plan`, any level, case-insensitive, trailing `:` allowed),
 * up to the next heading of the same or a higher level; undefined when the heading is absent.
 */
function sectionUnder(body, heading) {
    const lines = visibleLines(body);
    const wanted = normalise(heading).replace(/:$/, '');
    let level = 0;
    const content = [];
    for (const line of lines) {
        const match = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
        if (level === 0) {
            if (match?.[1] && normalise(match[2] ?? '').replace(/:$/, '') === wanted)
                level = match[1].length;
            continue;
        }
        if (match?.[1] && match[1].length <= level)
            break;
        content.push(line);
    }
    return level === 0 ? undefined : content.join('\n').trim();
}
/** Text that says nothing: empty, only punctuation, or a placeholder such as "TBD" or "N/A". */
function isPlaceholder(text) {
    const plain = normalise(text)
        .replace(/^[-*+]\s*/gm, '')
        .replace(/[.\s]+$/, '');
    return plain === '' || /^(?:[\W_]+|tbd|todo|n\/?a|none|-+|\.\.\.|…)$/i.test(plain);
}

;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/items/rollback-plan.js


/** A rollback plan is written down: a non-empty section under the policy's heading in the PR body, or the policy's file. */
async function rollbackPlan(ctx) {
    const policy = ctx.deploy.checklist.rollbackPlan;
    const pull = await ctx.pullRequest();
    const section = pull ? sectionUnder(pull.body, policy.heading) : undefined;
    if (pull && section !== undefined && !isPlaceholder(section)) {
        const lines = section.split('\n').filter((l) => l.trim()).length;
        return result('rollback-plan', 'pass', `PR #${pull.number} has a "${policy.heading}" section (${lines} line${lines === 1 ? '' : 's'})`, pull.htmlUrl);
    }
    const inPull = !pull
        ? `no pull request for ${shortSha(ctx.sha)}`
        : section === undefined
            ? `PR #${pull.number} has no "${policy.heading}" heading`
            : `the "${policy.heading}" section of PR #${pull.number} is empty or a placeholder`;
    if (policy.file) {
        const file = await ctx.evidence.file(policy.file, ctx.sha);
        if (file && !isPlaceholder(file.text))
            return result('rollback-plan', 'pass', `${policy.file} at ${shortSha(ctx.sha)} describes the rollback`, file.htmlUrl);
        return result('rollback-plan', 'fail', `${inPull}, and ${policy.file} ${file ? 'is empty' : 'does not exist'} at ${shortSha(ctx.sha)}`, file?.htmlUrl ?? pull?.htmlUrl);
    }
    return result('rollback-plan', 'fail', `${inPull}: write the rollback steps under "## ${policy.heading}"`, pull?.htmlUrl);
}

;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/items/security-scan.js


const RANK = { low: 1, medium: 2, high: 3, critical: 4 };
/** Open alerts whose security severity is at or above `threshold`, worst first. */
function alertsAtOrAbove(alerts, threshold) {
    return alerts
        .filter((a) => a.securitySeverity !== undefined && RANK[a.securitySeverity] >= RANK[threshold])
        .sort((a, b) => RANK[b.securitySeverity ?? 'low'] - RANK[a.securitySeverity ?? 'low'] || a.number - b.number);
}
/**
 * The scan ran: a code-scanning analysis exists for the commit (or the policy's named security check passed
 * on it). Nothing serious is open: no open code-scanning alert on the ref at or above the policy's severity.
 * When code scanning is not enabled, `whenNotEnabled` decides, and the reason says so.
 */
async function securityScan(ctx) {
    const policy = ctx.deploy.checklist.securityScan;
    const ref = ctx.ref;
    let scanned;
    if (policy.check) {
        const check = findCheck((await ctx.checks()).entries, policy.check);
        if (check && check.state !== 'success')
            return result('security-scan', 'fail', `security check "${check.name}" did not pass on ${shortSha(ctx.sha)} (${check.detail})`, check.url);
        if (check)
            scanned = { how: `security check "${check.name}" passed`, url: check.url };
    }
    const analyses = await ctx.evidence.codeScanningAnalyses(ref);
    const codeScanningPage = ctx.url('security/code-scanning');
    if (!analyses.enabled) {
        if (scanned)
            return result('security-scan', 'pass', `${scanned.how}; alerts not checked: ${analyses.message}`, scanned.url);
        const named = policy.check ? `no check "${policy.check}" on ${shortSha(ctx.sha)} and ` : '';
        const decision = policy.whenNotEnabled === 'pass' ? 'pass' : 'fail';
        return result('security-scan', decision, `${named}code scanning is not enabled (${analyses.message}); the policy says ${decision} (deploy.checklist.securityScan.whenNotEnabled)`, codeScanningPage);
    }
    if (!scanned) {
        const analysis = analyses.analyses.find((a) => a.commitSha === ctx.sha);
        if (!analysis) {
            const latest = analyses.analyses[0];
            return result('security-scan', 'fail', `no code-scanning analysis for ${shortSha(ctx.sha)}${ref ? ` on ${ref}` : ''}${latest ? ` (latest analysed: ${shortSha(latest.commitSha)})` : ''}${policy.check ? ` and no check "${policy.check}"` : ''}`, codeScanningPage);
        }
        scanned = {
            how: `code-scanning analysis ${analysis.id}${analysis.tool ? ` (${analysis.tool})` : ''} covers ${shortSha(ctx.sha)}`,
            url: codeScanningPage,
        };
    }
    const serious = alertsAtOrAbove(await ctx.evidence.openCodeScanningAlerts(ref), policy.severity);
    if (serious.length) {
        const shown = serious.slice(0, 5).map((a) => `#${a.number} ${a.rule} (${a.securitySeverity})`);
        return result('security-scan', 'fail', `${serious.length} open alert${serious.length === 1 ? '' : 's'} at or above ${policy.severity}: ${shown.join(', ')}${serious.length > 5 ? ', …' : ''}`, serious[0]?.htmlUrl);
    }
    return result('security-scan', 'pass', `${scanned.how}; no open alert at or above ${policy.severity}`, scanned.url);
}

;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/items/stakeholders-notified.js


function noticeMarker(sha, environment) {
    return `<!-- runbook-actions:deploy-gate notice sha=${sha} environment=${environment} -->`;
}
/** A comment is a notice of this deploy when it carries our marker, or mentions the commit (7+ hex characters of its SHA). */
function isNotice(comment, sha, environment) {
    if (comment.body.includes(noticeMarker(sha, environment)))
        return true;
    return (comment.body.match(/\b[0-9a-f]{7,40}\b/gi) ?? []).some((token) => sha.toLowerCase().startsWith(token.toLowerCase()));
}
function noticeBody(ctx, pullNumber) {
    const run = github.links.run(ctx.github);
    return [
        `Deploying [\`${shortSha(ctx.sha)}\`](${ctx.url(`commit/${ctx.sha}`)}) to **${ctx.environment}**${pullNumber ? ` (#${pullNumber})` : ''}.`,
        '',
        `Every item of the production deployment checklist passed${run ? ` — [deploy-gate run](${run})` : ''}.`,
        '',
        noticeMarker(ctx.sha, ctx.environment),
    ].join('\n');
}
/**
 * Stakeholders were told: a comment on the policy's tracking issue names this commit, or a GitHub Deployment
 * of this commit to the environment exists (one not created by this very workflow run). With `notify`, the gate
 * posts the comment itself — only when every other item passed, and once (a marker makes it idempotent).
 */
async function stakeholdersNotified(ctx) {
    const issue = ctx.deploy.checklist.stakeholdersNotified.trackingIssue;
    const find = async () => issue ? (await ctx.evidence.issueComments(issue)).find((c) => isNotice(c, ctx.sha, ctx.environment)) : undefined;
    const comment = await find();
    if (comment)
        return result('stakeholders-notified', 'pass', `notice on tracking issue #${issue}${comment.author ? ` by @${comment.author}` : ''}`, comment.htmlUrl);
    const deployment = await deploymentNotice(ctx);
    if (deployment)
        return deployment;
    if (!issue) {
        return result('stakeholders-notified', 'fail', `no ${ctx.environment} deployment of ${shortSha(ctx.sha)} and no tracking issue in the policy: set deploy.checklist.stakeholdersNotified.trackingIssue (with notify: true the gate posts the notice)`, ctx.url('deployments'));
    }
    const where = `no comment on tracking issue #${issue} mentions ${shortSha(ctx.sha)}, no ${ctx.environment} deployment of it`;
    if (!ctx.notify)
        return result('stakeholders-notified', 'fail', `${where}: notify stakeholders on #${issue}, or set notify: true`, github.links.issue(ctx.github, issue));
    const blocking = (await ctx.otherItems()).filter((r) => r.status === 'fail');
    if (blocking.length) {
        return result('stakeholders-notified', 'fail', `${where}; not posted because ${blocking.map((r) => r.item).join(', ')} failed`, github.links.issue(ctx.github, issue));
    }
    const body = noticeBody(ctx, (await ctx.pullRequest())?.number);
    let posted;
    try {
        posted = await ctx.evidence.createIssueComment(issue, body);
    }
    catch (error) {
        // The request may have reached GitHub even though the response was lost: look before posting again.
        ctx.log.warning(`posting the notice on #${issue} failed (${error.message}); checking whether it landed`);
        posted = (await find()) ?? (await ctx.evidence.createIssueComment(issue, body));
    }
    return result('stakeholders-notified', 'pass', `posted the notice on tracking issue #${issue}`, posted.htmlUrl);
}
async function deploymentNotice(ctx) {
    const runId = ctx.runningJob.runId;
    for (const deployment of (await ctx.evidence.deployments(ctx.environment, ctx.sha)).slice(0, 10)) {
        const statuses = await ctx.evidence.deploymentStatuses(deployment.id);
        // A job with `environment:` creates a deployment when it starts: this run's own does not tell anyone anything.
        if (runId !== undefined && statuses.some((s) => s.logUrl?.includes(`/actions/runs/${runId}`)))
            continue;
        return result('stakeholders-notified', 'pass', `deployment ${deployment.id} of ${shortSha(ctx.sha)} to ${ctx.environment} (created ${deployment.createdAt})`, statuses.find((s) => s.logUrl)?.logUrl ?? ctx.url('deployments'));
    }
    return undefined;
}

;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/items/tests.js



function list(entries, max = 5) {
    const shown = entries.slice(0, max).map((e) => `${e.name} (${e.detail})`);
    return entries.length > max ? `${shown.join(', ')} and ${entries.length - max} more` : shown.join(', ');
}
/**
 * Every check run (latest per app and name) and every commit status (latest per context) on the commit must
 * have succeeded; neutral and skipped count as passed when the policy says so; required checks must be there.
 */
async function testsPassing(ctx) {
    const policy = ctx.deploy.checklist.tests;
    const snapshot = await ctx.checks();
    const checksPage = ctx.url(`commit/${ctx.sha}/checks`);
    const accepted = (e) => e.state === 'success' ||
        (e.state === 'neutral' && policy.allowNeutral) ||
        (e.state === 'skipped' && policy.allowSkipped);
    const failed = snapshot.entries.filter((e) => e.state !== 'pending' && !accepted(e));
    const pending = snapshot.entries.filter((e) => e.state === 'pending');
    const missing = missingRequired(snapshot.entries, policy.requiredChecks);
    const waited = snapshot.waitedMs > 0 ? ` after waiting ${(0,duration/* formatDuration */.a3)(snapshot.waitedMs)}` : '';
    const problems = [];
    if (failed.length)
        problems.push(`${failed.length} failed: ${list(failed)}`);
    if (pending.length)
        problems.push(`${pending.length} still pending${waited}: ${list(pending)}`);
    if (missing.length)
        problems.push(`required check${missing.length === 1 ? '' : 's'} missing${waited}: ${missing.join(', ')}`);
    if (problems.length) {
        return result('tests', 'fail', problems.join('; '), (failed[0] ?? pending[0])?.url ?? checksPage);
    }
    if (snapshot.entries.length === 0) {
        return result('tests', 'fail', `no check runs or commit statuses on ${shortSha(ctx.sha)}${snapshot.excluded.length ? ' besides this job' : ''}: nothing shows the tests ran`, checksPage);
    }
    const runs = snapshot.entries.filter((e) => e.kind === 'check-run').length;
    const statuses = snapshot.entries.length - runs;
    const lenient = snapshot.entries.filter((e) => e.state !== 'success').length;
    return result('tests', 'pass', `${runs} check run${runs === 1 ? '' : 's'} and ${statuses} status${statuses === 1 ? '' : 'es'} passed${lenient ? ` (${lenient} neutral or skipped)` : ''}${snapshot.excluded.length ? '; this job itself excluded' : ''}`, checksPage);
}

// EXTERNAL MODULE: ./.tmp/build/src/deploy-gate/types.js
var types = __webpack_require__(4382);
;// CONCATENATED MODULE: ./.tmp/build/src/deploy-gate/gate.js












/** Each checklist item: its policy key and its check. */
const ITEMS = {
    'code-review': { key: 'codeReview', check: codeReview },
    tests: { key: 'tests', check: testsPassing },
    'security-scan': { key: 'securityScan', check: securityScan },
    'migrations-tested': { key: 'migrationsTested', check: migrationsTested },
    'rollback-plan': { key: 'rollbackPlan', check: rollbackPlan },
    'monitoring-alerts': { key: 'monitoringAlerts', check: monitoringAlerts },
    'stakeholders-notified': { key: 'stakeholdersNotified', check: stakeholdersNotified },
};
/** Runs one item: disabled → skip; a GitHub error → fail naming the permission; a failure may be overridden by a ticked box. */
async function evaluate(id, ctx) {
    const { key, check } = ITEMS[id];
    const title = types/* ITEM_TITLES */.M[id];
    const policy = ctx.deploy.checklist[key];
    if (!policy.enabled)
        return result(id, 'skip', `disabled by the policy (deploy.checklist.${key}.enabled: false)`);
    let outcome;
    try {
        outcome = await check(ctx);
    }
    catch (error) {
        const advice = (0,github/* explainGitHubError */.P)(error);
        outcome = result(id, 'fail', advice ?? `could not be checked: ${(0,errors/* errorMessage */.gJ)(error)}`);
        ctx.log.debug(`${id}: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    if (outcome.status !== 'fail' || !policy.allowCheckbox)
        return outcome;
    const pull = await ctx.pullRequest().catch(() => undefined);
    if (pull && hasTickedCheckbox(pull.body, title)) {
        return result(id, 'pass', `"${title}" is ticked in PR #${pull.number} (the policy accepts the checkbox); evidence: ${outcome.reason}`, pull.htmlUrl);
    }
    return outcome;
}
/** Checks every item of the production deployment checklist at once, against the commit being deployed. */
async function runGate(options) {
    const pending = new Map();
    const others = types/* ITEM_IDS */.F.filter((id) => id !== 'stakeholders-notified');
    const ctx = createItemContext(options, () => Promise.all(others.map((id) => pending.get(id))));
    for (const id of types/* ITEM_IDS */.F)
        pending.set(id, evaluate(id, ctx));
    const items = await Promise.all(types/* ITEM_IDS */.F.map((id) => pending.get(id)));
    const failedItems = items.filter((r) => r.status === 'fail').map((r) => r.item);
    return { passed: failedItems.length === 0, failedItems, items };
}


/***/ })

};
