/**
 * Keeps the mapping a person is editing saved on the server (`PUT /placements/batches/:id/mapping`)
 * so that an upload left at the mapping step — a reload, a closed tab, a locked phone — can be
 * continued from "My placements". Each change is sent at once (a select changes rarely, and a tab
 * may close right after); saves go one at a time, in order, and only the newest waiting one is sent.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../internal/api-client.js';
import { toProblem } from '../internal/api-client.js';

export type Mapping = Record<string, string>;

/** Only the fields with a column: what the API stores and what a start sends. */
export const chosenColumns = (m: Mapping): Mapping => Object.fromEntries(Object.entries(m).filter(([, c]) => c));

export class MappingDraft implements ReactiveController {
  /** '' | 'saving' | 'saved' | 'failed' */
  state: '' | 'saving' | 'saved' | 'failed' = '';
  /** why the last save failed */
  problem = '';
  #pending: { client: ApiClient; batchId: string; mapping: Mapping } | null = null;
  #running: Promise<void> | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Forget the last outcome (another batch is on screen). */
  clear(): void {
    this.#pending = null;
    this.state = '';
    this.problem = '';
    this.host.requestUpdate();
  }

  /** Saves `mapping` for `batchId` after any save already under way. */
  save(client: ApiClient, batchId: string, mapping: Mapping): Promise<void> {
    this.#pending = { client, batchId, mapping: chosenColumns(mapping) };
    this.state = 'saving';
    this.host.requestUpdate();
    this.#running ??= this.#drain().finally(() => (this.#running = null));
    return this.#running;
  }

  /** Resolves once every save asked for so far has been answered (before a start). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#pending) {
      const { client, batchId, mapping } = this.#pending;
      this.#pending = null;
      try {
        await client.request('PUT', `/placements/batches/${batchId}/mapping`, { body: { mapping } });
        if (!this.#pending) this.state = 'saved';
      } catch (error) {
        this.state = 'failed';
        this.problem = toProblem(error).detail;
      }
      this.host.requestUpdate();
    }
  }
}
