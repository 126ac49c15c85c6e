/** The process environment as the steps read it: the runner's variables and the step's INPUT_*. */
export type Env = Readonly<Record<string, string | undefined>>;
