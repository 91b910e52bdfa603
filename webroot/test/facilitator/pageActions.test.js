import { describe, expect, it } from 'vitest';
import { PageActions } from '../../src/facilitator/pageActions.svelte.js';

describe('page actions', () => {
  it('keeps a failed action\'s error for the page to show', async () => {
    const actions = new PageActions();
    const refused = new Error('refused');
    await actions.run(async () => {
      throw refused;
    });
    expect(actions.error).toBe(refused);
  });

  it('clears the last error when the next action starts', async () => {
    const actions = new PageActions();
    await actions.run(async () => {
      throw new Error('refused');
    });
    let seenWhileRunning;
    await actions.run(async () => {
      seenWhileRunning = actions.error;
    });
    expect(seenWhileRunning).toBeNull();
    expect(actions.error).toBeNull();
  });
});
