export const id = 958;
export const ids = [958];
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


/***/ })

};
