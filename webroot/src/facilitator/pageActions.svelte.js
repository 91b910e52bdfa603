/** Runs a page's actions one way: a failure becomes the page's problem to show, and the next action clears it. */
export class PageActions {
  error = $state(null);

  run = async (action) => {
    this.error = null;
    try {
      await action();
    } catch (failure) {
      this.error = failure;
    }
  };
}
