export const id = 866;
export const ids = [866];
export const modules = {

/***/ 1866:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createS3Client: () => (/* binding */ createS3Client),
/* harmony export */   listS3: () => (/* binding */ listS3),
/* harmony export */   parseS3Url: () => (/* binding */ parseS3Url)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7075);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6466);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(26);
/* harmony import */ var _checksum_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6647);
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(1179);
/* harmony import */ var _schedule_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(957);










function parseS3Url(source) {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(source);
    if (!match || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(match[1]))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigurationError */ .j1([{ field: 'input "source"', value: source, message: 'expected s3://bucket/prefix with a valid bucket name' }], 'inputs');
    return { bucket: match[1], prefix: match[2] };
}
/** The AWS SDK is loaded here only, for s3:// sources. Credentials come from the standard chain (AWS_ACCESS_KEY_ID, …, OIDC). */
async function createS3Client(options) {
    const { S3Client } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    return new S3Client({
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        forcePathStyle: options.forcePathStyle,
        region: options.region || 'us-east-1',
        followRegionRedirects: true,
        ...(options.credentials ? { credentials: options.credentials } : {}),
    });
}
/**
 * Lists the prefix (every page). Each object is a backup candidate, except checksum files; the
 * objects of a directory-format dump (`…/name/toc.dat` and its data files) make one candidate.
 */
async function listS3(client, location) {
    const { ListObjectsV2Command } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    const objects = [];
    let token;
    do {
        const page = await client
            .send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.prefix, ContinuationToken: token }))
            .catch((error) => {
            throw s3Problem(error, `listing s3://${location.bucket}/${location.prefix}`);
        });
        for (const o of page.Contents ?? [])
            if (o.Key && !o.Key.endsWith('/'))
                objects.push({ key: o.Key, size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const directories = new Set(objects.filter((o) => o.key.endsWith('/toc.dat')).map((o) => o.key.slice(0, -'toc.dat'.length)));
    const inDirectory = (key) => [...directories].some((d) => key.startsWith(d));
    const candidates = [];
    for (const dir of directories) {
        const members = objects.filter((o) => o.key.startsWith(dir));
        candidates.push(directoryCandidate(client, location.bucket, dir, members));
    }
    for (const o of objects) {
        const name = lastPart(o.key);
        if (inDirectory(o.key) || (0,_checksum_js__WEBPACK_IMPORTED_MODULE_7__/* .isChecksumFile */ .iU)(name) || name.startsWith('.'))
            continue;
        candidates.push(objectCandidate(client, location.bucket, o));
    }
    // s3://bucket/path/backup.sql names one object (its sidecar shares the prefix but is not a backup).
    const exact = candidates.find((c) => c.location === `s3://${location.bucket}/${location.prefix}`);
    return exact ? { candidates: [exact], isCollection: false } : { candidates, isCollection: true };
}
function lastPart(key) {
    return key.replace(/\/$/, '').split('/').pop() ?? key;
}
function siblingReader(client, bucket, key) {
    const folder = key.includes('/') ? key.slice(0, key.lastIndexOf('/') + 1) : '';
    return async (name) => {
        const { GetObjectCommand } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
        try {
            const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${folder}${name}` }));
            return (await object.Body?.transformToString('utf8')) ?? '';
        }
        catch (error) {
            const status = error.$metadata?.httpStatusCode;
            if (status === 404 || error.name === 'NoSuchKey')
                return undefined;
            throw s3Problem(error, `reading s3://${bucket}/${folder}${name}`);
        }
    };
}
function objectCandidate(client, bucket, object) {
    const name = lastPart(object.key);
    return {
        name,
        location: `s3://${bucket}/${object.key}`,
        kind: 'file',
        sizeBytes: object.size,
        modified: object.modified,
        when: (0,_schedule_js__WEBPACK_IMPORTED_MODULE_9__/* .backupTime */ .a3)(name, object.modified),
        materialize: async (tempDir) => {
            const path = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(tempDir, name);
            const sha256 = await download(client, bucket, object.key, object.size, path);
            return { path, sha256, note: `downloaded ${object.size} bytes (length checked against the listing)` };
        },
        readSibling: siblingReader(client, bucket, object.key),
    };
}
function directoryCandidate(client, bucket, dir, members) {
    const name = lastPart(dir);
    const modified = new Date(Math.max(0, ...members.map((m) => m.modified.getTime())));
    return {
        name,
        location: `s3://${bucket}/${dir}`,
        kind: 'directory',
        sizeBytes: members.reduce((sum, m) => sum + m.size, 0),
        modified,
        when: (0,_schedule_js__WEBPACK_IMPORTED_MODULE_9__/* .backupTime */ .a3)(name, modified),
        materialize: async (tempDir) => {
            const path = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(tempDir, name);
            for (const m of members) {
                const target = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(path, m.key.slice(dir.length));
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(target, '..'), { recursive: true });
                await download(client, bucket, m.key, m.size, target);
            }
            return { path, note: `downloaded ${members.length} objects` };
        },
        readSibling: siblingReader(client, bucket, dir.replace(/\/$/, '')),
    };
}
/** Streams an object to a file (bounded memory), hashing on the way; a short download fails. */
async function download(client, bucket, key, expectedSize, path) {
    const { GetObjectCommand } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((error) => {
        throw s3Problem(error, `downloading s3://${bucket}/${key}`);
    });
    const body = object.Body;
    if (!body)
        throw new Error(`s3://${bucket}/${key}: the response has no body`);
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    const tap = new node_stream__WEBPACK_IMPORTED_MODULE_4__.Transform({
        transform(chunk, _encoding, callback) {
            hash.update(chunk);
            callback(null, chunk);
        },
    });
    try {
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_5__.pipeline)(body, tap, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(path));
    }
    catch (error) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionFailure */ .dR(`downloading s3://${bucket}/${key} failed: ${error.message}`, 'a network problem: re-run the job');
    }
    const { size } = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(path);
    if (size !== expectedSize)
        throw new _format_js__WEBPACK_IMPORTED_MODULE_8__/* .BackupDamaged */ ._r(`the download holds ${size} bytes but the listing says ${expectedSize}`, 'the object changed while it was read, or the transfer was cut: re-run the job');
    return hash.digest('hex');
}
function s3Problem(error, doing) {
    const name = error.name;
    const hint = name === 'NoSuchBucket'
        ? 'check the bucket name in the source input'
        : /AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|CredentialsProviderError|ExpiredToken/.test(name) ||
            /credential/i.test(error.message)
            ? 'the runner needs AWS credentials allowed to s3:ListBucket and s3:GetObject (aws-actions/configure-aws-credentials, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)'
            : 'check the s3-endpoint input / AWS_ENDPOINT_URL_S3 and the network';
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionFailure */ .dR(`${doing} failed: ${name}: ${error.message}`, hint);
}


/***/ })

};
