export const id = 922;
export const ids = [922];
export const modules = {

/***/ 5922:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_POLICY_PATH: () => (/* binding */ DEFAULT_POLICY_PATH),
/* harmony export */   formatPath: () => (/* binding */ formatPath),
/* harmony export */   loadPolicy: () => (/* binding */ loadPolicy),
/* harmony export */   parsePolicy: () => (/* binding */ parsePolicy),
/* harmony export */   parsePolicyText: () => (/* binding */ parsePolicyText)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8815);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(26);
/* harmony import */ var _schema_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6497);





const DEFAULT_POLICY_PATH = '.github/runbook.yml';
/**
 * Loads the runbook policy. The default path may be absent (the runbook's defaults apply);
 * any other path must exist, since naming a file that is not there is a mistake.
 * Problems name the key's path and its line, and are reported as annotations on the file.
 */
async function loadPolicy(options) {
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(options.path) ? options.path : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(options.workspace, options.path);
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(file, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT' && options.path === DEFAULT_POLICY_PATH) {
            options.log?.debug(`no ${DEFAULT_POLICY_PATH}: using the runbook's defaults`);
            return { ...parsePolicy({}), file: undefined };
        }
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1([{ field: 'input "policy-file"', value: options.path, message: `cannot be read (${error.message})` }], 'policy');
    }
    const policy = parsePolicyText(text, options.path, options.log);
    return { ...policy, file: options.path };
}
/** Parses YAML text; errors carry `path (line N)` and are annotated on `fileLabel` when a logger is given. */
function parsePolicyText(text, fileLabel, log) {
    const lineCounter = new yaml__WEBPACK_IMPORTED_MODULE_2__/* .LineCounter */ .HN();
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parseDocument */ .Tp)(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
        const issues = doc.errors.map((e) => ({
            field: `${fileLabel} (line ${lineCounter.linePos(e.pos[0]).line})`,
            message: `invalid YAML: ${e.message.split('\n')[0]}`,
        }));
        throw annotated(issues, fileLabel, log, issues.map((_, i) => lineCounter.linePos(doc.errors[i]?.pos[0] ?? 0).line));
    }
    const data = doc.toJS() ?? {};
    const result = _schema_js__WEBPACK_IMPORTED_MODULE_4__/* .policySchema */ .wh.safeParse(data);
    if (result.success)
        return result.data;
    const lines = [];
    const issues = result.error.issues.map((issue) => {
        const line = lineOf(doc, lineCounter, issue.path);
        lines.push(line);
        const at = formatPath(issue.path);
        return {
            field: `${fileLabel}: ${at || '(top level)'}${line ? ` (line ${line})` : ''}`,
            message: describeIssue(issue),
        };
    });
    throw annotated(issues, fileLabel, log, lines);
}
function parsePolicy(data) {
    const result = _schema_js__WEBPACK_IMPORTED_MODULE_4__/* .policySchema */ .wh.safeParse(data);
    if (result.success)
        return result.data;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(result.error.issues.map((i) => ({ field: formatPath(i.path), message: describeIssue(i) })), 'policy');
}
function annotated(issues, file, log, lines) {
    for (const [i, issue] of issues.entries()) {
        log?.error(`${issue.field}: ${issue.message}`, { title: 'Runbook policy', file, startLine: lines[i] });
    }
    return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(issues, 'policy');
}
function describeIssue(issue) {
    if (issue.code === 'unrecognized_keys' && issue.keys)
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (see docs/policy.md for the allowed keys)`;
    return issue.message;
}
function formatPath(path) {
    return path.reduce((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}
function lineOf(doc, counter, path) {
    for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth), true);
        if (node?.range)
            return counter.linePos(node.range[0]).line;
    }
    return undefined;
}


/***/ })

};
