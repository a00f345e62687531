import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { parse } from 'csv-parse';
import { leafHash, MerkleBuilder } from './merkle.js';
import { canonicalRowEncoder, sha256Text } from './records.js';

/**
 * Worker thread for large CSV snapshots: parses, canonicalizes, hashes and builds the Merkle root, and posts
 * batches of prepared rows to the main thread, which only inserts them. Same bytes and root as the single-thread
 * path (snapshot.ts); errors carry the line like readRecordFile's.
 *
 * Messages out: {type:'batch', ids, jsons, shas} (waits for {type:'ack'} when MAX_IN_FLIGHT are unacknowledged),
 * {type:'done', count, root, fields}, {type:'error', message, line}.
 */
export interface WorkerInput {
  file: string;
  batchSize: number;
}

const MAX_IN_FLIGHT = 4;

async function run(): Promise<void> {
  const port = parentPort!;
  const { file, batchSize } = workerData as WorkerInput;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  port.on('message', (m: { type: string }) => {
    if (m.type === 'ack') {
      inFlight -= 1;
      wake?.();
      wake = null;
    }
  });
  const merkle = new MerkleBuilder();
  let header: string[] | null = null;
  let encode: ((cells: readonly string[]) => string) | null = null;
  let idIndex = -1;
  let line = 1;
  let ids: string[] = [];
  let jsons: string[] = [];
  let shas: string[] = [];
  const flush = async () => {
    if (!ids.length) return;
    port.postMessage({ type: 'batch', ids, jsons, shas });
    inFlight += 1;
    ids = [];
    jsons = [];
    shas = [];
    if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
  };
  try {
    const parser = createReadStream(file).pipe(parse({ bom: true, relax_column_count: false }));
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = cells;
        const dup = header.find((h, i) => header!.indexOf(h) !== i);
        if (dup !== undefined) {
          port.postMessage({ type: 'error', message: `column "${dup}" appears twice in the header`, line: 1 });
          return;
        }
        idIndex = header.indexOf('Id');
        encode = canonicalRowEncoder(header);
        continue;
      }
      line += 1;
      const id = idIndex >= 0 ? cells[idIndex] : undefined;
      if (!id) {
        port.postMessage({ type: 'error', message: 'the record has no Id', line });
        return;
      }
      const json = encode!(cells);
      merkle.pushLeafHash(leafHash(json));
      ids.push(id);
      jsons.push(json);
      shas.push(sha256Text(json));
      if (ids.length >= batchSize) await flush();
    }
    await flush();
    port.postMessage({ type: 'done', count: merkle.size, root: merkle.root(), fields: header ?? [] });
  } catch (e) {
    const err = e as Error & { lines?: number };
    port.postMessage({ type: 'error', message: `not valid CSV: ${err.message}`, line: err.lines ?? null, csv: true });
  }
}

void run();
