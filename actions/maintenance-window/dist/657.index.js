export const id = 657;
export const ids = [657];
export const modules = {

/***/ 8657:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NOTICE_LOOKBACK_MS: () => (/* binding */ NOTICE_LOOKBACK_MS),
/* harmony export */   listNotices: () => (/* binding */ listNotices),
/* harmony export */   postNotice: () => (/* binding */ postNotice)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(26);
/* harmony import */ var _notice_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6918);


/** How far back notices are read: a notice older than this cannot announce a window that matters now. */
const NOTICE_LOOKBACK_MS = 400 * 86_400_000;
/**
 * Every notice with the label created after `since`, newest first. An issue closed as not planned
 * (cancelled) or as a duplicate announces nothing; one closed as completed still does.
 */
async function listNotices(client, repository, label, since) {
    const issues = (await client.paginate(client.rest.issues.listForRepo, { ...repository, labels: label, state: 'all', sort: 'created', direction: 'desc', per_page: 100 }, (response, done) => {
        const page = response.data;
        if (page.some((i) => Date.parse(i.created_at) < since))
            done();
        return page;
    }));
    return issues
        .filter((i) => !i.pull_request && Date.parse(i.created_at) >= since)
        .filter((i) => !(i.state === 'closed' && (i.state_reason === 'not_planned' || i.state_reason === 'duplicate')))
        .flatMap((i) => (0,_notice_js__WEBPACK_IMPORTED_MODULE_1__/* .parseNoticeMarkers */ .hZ)(i.body).map((m) => ({
        number: i.number,
        url: i.html_url,
        createdAt: Date.parse(i.created_at),
        window: m.window,
        start: m.start,
    })));
}
/**
 * Posts the notice for `occurrence` unless one exists. The create is never retried blindly: a POST whose
 * response was lost may have created the issue, so each retry first looks for the marker again. If a
 * concurrent run posted the same notice, the later issue is closed as a duplicate of the earlier one.
 */
async function postNotice(options) {
    const { client, repository, label, occurrence } = options;
    const find = async () => (0,_notice_js__WEBPACK_IMPORTED_MODULE_1__/* .noticesFor */ .qE)(occurrence, await listNotices(client, repository, label, options.since));
    await ensureLabel(client, repository, label, options.labelColor);
    const attempts = options.attempts ?? 3;
    for (let attempt = 1;; attempt++) {
        const existing = (await find())[0];
        if (existing)
            return { notice: existing, created: false };
        let created;
        try {
            const response = await client.rest.issues.create({
                ...repository,
                title: options.title,
                body: options.body,
                labels: [label],
                request: { retries: 0 },
            });
            created = response.data;
        }
        catch (error) {
            const status = error.status;
            const transient = status === undefined || status >= 500;
            if (!transient || attempt >= attempts)
                throw error;
            options.log.warning(`creating the maintenance notice failed (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}); checking whether it was created before retrying`);
            await options.clock.sleep(1000 * attempt);
            continue;
        }
        const posted = {
            number: created.number,
            url: created.html_url,
            createdAt: Date.parse(created.created_at),
            window: occurrence.window.name,
            start: occurrence.start,
        };
        const first = (await find())[0];
        if (first && first.number < posted.number) {
            await client.rest.issues.update({
                ...repository,
                issue_number: posted.number,
                state: 'closed',
                state_reason: 'duplicate',
            });
            options.log.info(`#${posted.number} duplicated #${first.number}, posted at the same time by another run: closed it`);
            return { notice: first, created: false };
        }
        return { notice: posted, created: true };
    }
}
async function ensureLabel(client, repository, name, color) {
    try {
        await client.rest.issues.getLabel({ ...repository, name });
    }
    catch (error) {
        if (error.status !== 404)
            throw error;
        try {
            await client.rest.issues.createLabel({
                ...repository,
                name,
                color,
                description: 'Announces a maintenance window (runbook-actions maintenance-window)',
            });
        }
        catch (createError) {
            // Another run created it in the meantime.
            if (createError.status !== 422)
                throw createError;
        }
    }
}


/***/ })

};
