/**
 * One hand-in or material at a time: what is being sent (with its upload progress) and the last
 * failure, which the page shows through UploadStatus.
 */
export function uploadAttempt() {
  const state = $state({ sending: null, error: null });
  return {
    get sending() {
      return state.sending;
    },
    get error() {
      return state.error;
    },
    set error(failure) {
      state.error = failure;
    },
    progress(fraction) {
      if (state.sending) state.sending.progress = fraction;
    },
    /** Runs the send; answers its reply, or undefined when it failed (the failure is kept in error). */
    async run(name, send) {
      state.error = null;
      state.sending = { name, progress: 0 };
      try {
        return (await send()) ?? {};
      } catch (failure) {
        state.error = failure;
        return undefined;
      } finally {
        state.sending = null;
      }
    },
    /** A removal: no progress to show, only its failure. */
    async remove(work) {
      state.error = null;
      try {
        await work();
      } catch (failure) {
        state.error = failure;
      }
    }
  };
}
