// The mocha globals the widget tests use (web-test-runner runs mocha in the browser). @types/mocha
// is not installed; these few declarations stand in for it.
declare function describe(title: string, fn: () => void): void;
declare function it(title: string, fn: (this: { timeout(ms: number): void }) => void | Promise<unknown>): void;
declare function before(fn: () => void | Promise<unknown>): void;
declare function after(fn: () => void | Promise<unknown>): void;
declare function beforeEach(fn: () => void | Promise<unknown>): void;
declare function afterEach(fn: () => void | Promise<unknown>): void;
