// The official Huawei Cloud VOD Node.js SDK (@huaweicloud/huaweicloud-sdk-vod, pinned by
// package-lock.json) as a real client of vod-mock: every operation the mock implements, signed
// with AK/SK by the SDK itself, each answer asserted (status, ids, states).
// usage: node sdk_test.js VOD_MOCK OUTPUT_DIR
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const readline = require('node:readline');

function load(name) {
  try {
    return require(name);
  } catch (e) {
    console.error(`sdk test: cannot load ${name} (${e.code || e.message}): run npm ci in ${__dirname}`);
    process.exit(2);
  }
}
const core = load('@huaweicloud/huaweicloud-sdk-core');
const vod = load('@huaweicloud/huaweicloud-sdk-vod');
// The SDK logs every refused request at length (the expected refusals too); the assertions say
// what went wrong.
load('@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger').Logger4jInstance.level = 'off';

const [mockBinary, outputDir] = process.argv.slice(2);
const AK = 'SDKTESTAK0000000000';
const SK = 'sdk-test-secret-key-0123456789';
const PROJECT = '0123456789abcdef0123456789abcdef';

// Starts vod-mock; resolves with its URL, the seeded fixtures and a stop() that resolves with
// everything it printed after its first line.
function startMock() {
  fs.mkdirSync(outputDir, { recursive: true });
  const fixtures = path.join(outputDir, 'fixtures.json');
  const child = spawn(mockBinary, ['--port', '0', '--seed', '1', '--ak', AK, '--sk', SK, '--project-id', PROJECT,
                                   '--fixtures-out', fixtures], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const rest = [];
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`vod-mock exited (${code}) before it listened`)));
    lines.once('line', (first) => {
      const url = (first.match(/^listening on (http:\/\/\S+)$/) || [])[1];
      if (!url) {
        reject(new Error(`unexpected first line from vod-mock: ${first}`));
        return;
      }
      lines.on('line', (line) => rest.push(line));
      child.removeAllListeners('exit');
      const stop = () => new Promise((done) => {
        child.on('close', () => done(rest));
        child.kill('SIGTERM');
      });
      resolve({ url, fixtures: JSON.parse(fs.readFileSync(fixtures, 'utf8')).assets, stop });
    });
  });
}

function client(url, sk = SK) {
  const credentials = new core.BasicCredentials().withAk(AK).withSk(sk).withProjectId(PROJECT);
  return vod.VodClient.newBuilder().withCredential(credentials).withEndpoint(url).build();
}

async function summaries(c, ids) {
  const answer = await c.listAssetList(new vod.ListAssetListRequest().withAssetId(ids));
  assert.equal(answer.httpStatusCode, 200);
  return Object.fromEntries(answer.assets.map((a) => [a.asset_id, a]));
}

// A PUT of the file to the presigned URL: no VOD credentials, the file's content type.
function upload(url, body, contentType) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'PUT', headers: { 'Content-Type': contentType,
                                                                   'Content-Length': body.length } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function refused(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('the request was not refused');
}

let checks = 0;
async function check(what, f) {
  await f();
  checks += 1;
  console.log(`ok ${checks} - ${what}`);
}

async function main() {
  const mock = await startMock();
  const c = client(mock.url);
  const seeded = mock.fixtures;
  const made = [];
  let printed;
  try {
    await check('ListAssetList: the seeded fixtures in their four statuses', async () => {
      const ids = ['UPLOADING', 'PUBLISHED', 'TRANSCODE_QUEUED', 'TRANSCODING', 'REVIEWING', 'SNAPSHOTTING']
        .map((kind) => seeded[kind][0]);
      const s = await summaries(c, ids);
      assert.equal(s[seeded.UPLOADING[0]].asset_status, 'CREATING');
      assert.equal(s[seeded.PUBLISHED[0]].asset_status, 'PUBLISHED');
      assert.equal(s[seeded.TRANSCODE_QUEUED[0]].transcode_status, 'WAITING_TRANSCODE');
      assert.equal(s[seeded.TRANSCODING[0]].transcode_status, 'TRANSCODING');
      assert.equal(s[seeded.REVIEWING[0]].review_status, 'REVIEWING');
      assert.equal(s[seeded.SNAPSHOTTING[0]].thumbnail_status, 'THUMBNAILING');
      const page = await c.listAssetList(new vod.ListAssetListRequest().withPage(0).withSize(3).withOrder('asc'));
      assert.equal(page.total, 9);
      assert.equal(page.assets.length, 3);
    });

    let id;
    await check('CreateAssetByFileUpload, the PUT of the file, ConfirmAssetUpload: CREATED', async () => {
      const body = new vod.CreateAssetByFileUploadReq('conform sdk CREATED', 'clip.mp4', 'MP4')
        .withTags('conform,conform-sdk');
      const answer = await c.createAssetByFileUpload(new vod.CreateAssetByFileUploadRequest().withBody(body));
      assert.equal(answer.httpStatusCode, 200);
      id = answer.asset_id;
      made.push(id);
      assert.match(id, /^[0-9a-f]{32}$/);
      assert.equal((await summaries(c, [id]))[id].asset_status, 'CREATING');
      assert.equal(await upload(answer.video_upload_url, Buffer.alloc(2048, 1), 'video/mp4'), 200);
      const confirmed = await c.confirmAssetUpload(new vod.ConfirmAssetUploadRequest()
        .withBody(new vod.ConfirmAssetUploadReq().withAssetId(id).withStatus('CREATED')));
      assert.equal(confirmed.httpStatusCode, 200);
      assert.equal(confirmed.asset_id, id);
      const s = (await summaries(c, [id]))[id];
      assert.equal(s.asset_status, 'CREATED');
      assert.equal(s.size, 2048);
      const tagged = await c.listAssetList(new vod.ListAssetListRequest().withTags('conform-sdk'));
      assert.deepEqual(tagged.assets.map((a) => a.asset_id), [id]);
    });

    await check('PublishAssets, UnpublishAssets', async () => {
      const published = await c.publishAssets(new vod.PublishAssetsRequest()
        .withBody(new vod.PublishAssetReq().withAssetId([id])));
      assert.equal(published.httpStatusCode, 200);
      assert.equal(published.asset_info_array[0].status, 'PUBLISHED');
      const unpublished = await c.unpublishAssets(new vod.UnpublishAssetsRequest()
        .withBody(new vod.PublishAssetReq().withAssetId([id, 'f'.repeat(32)])));
      assert.equal(unpublished.httpStatusCode, 200);
      assert.equal(unpublished.asset_info_array[0].status, 'CREATED');
      assert.equal(unpublished.asset_info_array[1].status, 'NOASSET');
    });

    await check('CreateAssetProcessTask (template group), CancelAssetTranscodeTask', async () => {
      const queued = await c.createAssetProcessTask(new vod.CreateAssetProcessTaskRequest()
        .withBody(new vod.AssetProcessReq().withAssetId(id).withTemplateGroupName('system_template_group')));
      assert.equal(queued.httpStatusCode, 202);
      assert.equal(queued.asset_id, id);
      assert.equal((await summaries(c, [id]))[id].transcode_status, 'WAITING_TRANSCODE');
      const cancelled = await c.cancelAssetTranscodeTask(new vod.CancelAssetTranscodeTaskRequest().withAssetId(id));
      assert.equal(cancelled.httpStatusCode, 204);
      assert.equal((await summaries(c, [id]))[id].transcode_status, 'UN_TRANSCODE');
      const again = await refused(c.cancelAssetTranscodeTask(new vod.CancelAssetTranscodeTaskRequest().withAssetId(id)));
      assert.equal(again.httpStatusCode, 400);
      assert.equal(again.errorCode, 'VOD.10083');
    });

    await check('CreateExtractAudioTask, CancelExtractAudioTask', async () => {
      const extract = await c.createExtractAudioTask(new vod.CreateExtractAudioTaskRequest()
        .withBody(new vod.ExtractAudioTaskReq().withAssetId(id).withParameter(new vod.Parameter().withFormat('MP3'))));
      assert.equal(extract.httpStatusCode, 202);
      assert.equal(extract.asset_id, id);
      assert.match(extract.audio_asset_id, /^[0-9a-f]{32}$/);
      made.push(extract.audio_asset_id);
      assert.equal((await summaries(c, [extract.audio_asset_id]))[extract.audio_asset_id].asset_status, 'CREATING');
      const cancelled = await c.cancelExtractAudioTask(new vod.CancelExtractAudioTaskRequest().withAssetId(id));
      assert.equal(cancelled.httpStatusCode, 204);
    });

    await check('CreateAssetProcessTask (thumbnail alone): a snapshot', async () => {
      const snap = await c.createAssetProcessTask(new vod.CreateAssetProcessTaskRequest()
        .withBody(new vod.AssetProcessReq().withAssetId(seeded.CREATED[0])
          .withThumbnail(new vod.Thumbnail('time').withTime(10))));
      assert.equal(snap.httpStatusCode, 202);
      assert.equal((await summaries(c, [seeded.CREATED[0]]))[seeded.CREATED[0]].thumbnail_status, 'THUMBNAILING');
    });

    await check('CreateAssetReviewTask', async () => {
      const review = await c.createAssetReviewTask(new vod.CreateAssetReviewTaskRequest()
        .withBody(new vod.AssetReviewReq().withAssetId(id).withReview(new vod.Review('review-template-1'))));
      assert.equal(review.httpStatusCode, 200);
      assert.equal(review.asset_id, id);
      assert.equal((await summaries(c, [id]))[id].review_status, 'REVIEWING');
    });

    await check('DeleteAssets: processing assets are kept, the others deleted', async () => {
      const answer = await c.deleteAssets(new vod.DeleteAssetsRequest().withAssetId([...made, seeded.CREATED[0]]));
      assert.equal(answer.httpStatusCode, 200);
      const status = Object.fromEntries(answer.delete_result_array.map((r) => [r.asset_id, r.status]));
      assert.equal(status[id], 'FAILED');  // reviewing
      assert.equal(status[made[1]], 'DELETED');  // the audio asset
      assert.equal(status[seeded.CREATED[0]], 'FAILED');  // snapshotting
    });

    await check('ConfirmAssetUpload: the seeded upload; errors reach the SDK as its exceptions', async () => {
      const confirmed = await c.confirmAssetUpload(new vod.ConfirmAssetUploadRequest()
        .withBody(new vod.ConfirmAssetUploadReq().withAssetId(seeded.UPLOADING[0]).withStatus('CREATED')));
      assert.equal(confirmed.asset_id, seeded.UPLOADING[0]);
      const unknown = await refused(c.confirmAssetUpload(new vod.ConfirmAssetUploadRequest()
        .withBody(new vod.ConfirmAssetUploadReq().withAssetId('0'.repeat(32)).withStatus('CREATED'))));
      assert.equal(unknown.httpStatusCode, 403);
      assert.equal(unknown.errorCode, 'VOD.10062');
      const badSignature = await refused(client(mock.url, 'not-the-secret').listAssetList(
        new vod.ListAssetListRequest()));
      assert.equal(badSignature.httpStatusCode, 401);
      assert.equal(badSignature.errorCode, 'APIGW.0301');
    });
  } finally {
    printed = await mock.stop();
  }
  // Two assets made through the API (the upload, the audio); the audio one was deleted.
  await check('the closing line counts what the API made and what is left', async () => {
    assert.deepEqual(printed, ['vod-mock: created 2 assets through the API, 1 still there']);
  });
  const version = require('@huaweicloud/huaweicloud-sdk-vod/package.json').version;
  console.log(`sdk test: ${checks} checks passed, @huaweicloud/huaweicloud-sdk-vod ${version} against vod-mock`);
}

main().catch((e) => {
  console.error(`sdk test FAILED: ${e.stack || e}`);
  process.exit(1);
});
