/**
 * Defaults of sequential sampling that the CLI prints in its help: a leaf
 * module, so registering `bench run` does not load the sampling machinery.
 */
/** Rounds cap when neither --max-rounds nor --rounds says otherwise. */
export const DEFAULT_MAX_ROUNDS = 1000;
