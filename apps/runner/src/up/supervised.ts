// One child of `drover up` kept alive: when it dies unexpectedly it is started again after an
// exponential backoff (logged); after too many fast crashes in a row `drover up` gives up on it
// instead of spinning. Stopping is bounded by the child's own stop() (timeouts, then SIGKILL).
import type { Logger } from "pino";

export interface Running {
  pid: number | undefined;
  /** Resolves with how it ended ("exit code 1", "SIGKILL" ...) once the process is gone. */
  exited: Promise<string>;
  /** Bounded: asks it to go, and kills it (its whole group) when it does not in time. */
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** First delay before a restart; doubles after each fast crash, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A child that ran less than this before dying crashed "fast". */
  fastCrashMs: number;
  /** Give up after this many fast crashes in a row. */
  maxFastCrashes: number;
}

const DEFAULT_RESTART_POLICY: RestartPolicy = { firstDelayMs: 500, maxDelayMs: 30_000, fastCrashMs: 15_000, maxFastCrashes: 5 };

export interface SupervisedOptions {
  name: string;
  start(): Promise<Running> | Running;
  log: Logger;
  onGiveUp(why: string): void;
  /** Awaited before each restart: a runner or web restarted while the database is down would only crash again. */
  needs?: SupervisedChild;
  policy?: RestartPolicy;
}

export class SupervisedChild {
  current: Running | undefined;
  readonly name: string;
  private alive = false;
  private stopping = false;
  private fastCrashes = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;
  private waiters: Array<() => void> = [];
  private readonly policy: RestartPolicy;
  private resolveStopped!: () => void;
  private readonly stopped = new Promise<void>((r) => (this.resolveStopped = r));

  constructor(private readonly opts: SupervisedOptions) {
    this.name = opts.name;
    this.policy = opts.policy ?? DEFAULT_RESTART_POLICY;
  }

  /** Resolves while it runs: at once, or when it is running again. */
  whenRunning(): Promise<void> {
    return this.alive ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }

  /** The first start: errors propagate (start-up fails as a whole). */
  async start(): Promise<Running> {
    const r = await this.opts.start();
    this.opts.log.info({ child: this.name, childPid: r.pid }, `started the ${this.name}`);
    this.watch(r, Date.now());
    return r;
  }

  private watch(r: Running, startedAt: number): void {
    this.current = r;
    this.alive = true;
    for (const w of this.waiters.splice(0)) w();
    void r.exited.then((how) => {
      if (this.current !== r) return;
      this.alive = false;
      if (!this.stopping) this.crashed(how, Date.now() - startedAt);
    });
  }

  private crashed(how: string, ranMs: number): void {
    this.fastCrashes = ranMs < this.policy.fastCrashMs ? this.fastCrashes + 1 : 0;
    if (this.fastCrashes >= this.policy.maxFastCrashes) {
      const why = `the ${this.name} died ${this.fastCrashes} times in a row within ${this.policy.fastCrashMs / 1000} s of starting (last: ${how}); giving up`;
      this.opts.log.error({ child: this.name, how }, why);
      this.opts.onGiveUp(why);
      return;
    }
    const delayMs = Math.min(this.policy.firstDelayMs * 2 ** Math.max(0, this.fastCrashes - 1), this.policy.maxDelayMs);
    this.opts.log.warn({ child: this.name, how, ranMs, restartInMs: delayMs, fastCrashesInARow: this.fastCrashes }, `the ${this.name} died; restarting it`);
    this.retryTimer = setTimeout(() => {
      this.starting = (async () => {
        if (this.opts.needs && !this.stopping) {
          const waited = Date.now();
          await Promise.race([this.opts.needs.whenRunning(), this.stopped]);
          if (Date.now() - waited > 100) this.opts.log.info({ child: this.name, waitedMs: Date.now() - waited }, `waited for the ${this.opts.needs.name}`);
        }
        if (this.stopping) return;
        const at = Date.now();
        try {
          const r = await this.opts.start();
          if (this.stopping) {
            await r.stop();
            return;
          }
          this.opts.log.info({ child: this.name, childPid: r.pid }, `the ${this.name} is running again`);
          this.watch(r, at);
        } catch (err) {
          this.crashed(`could not start: ${(err as Error).message}`, Date.now() - at);
        }
      })().finally(() => (this.starting = undefined));
    }, delayMs);
  }

  /** Stops it whatever state it is in (running, dead, waiting to restart, starting). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.resolveStopped();
    clearTimeout(this.retryTimer);
    await this.starting;
    await this.current?.stop();
  }
}
