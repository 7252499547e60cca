export { gitEnvironment, safeUrl } from './auth.ts';
export { DesiredState } from './desired-state.ts';
export { GitSource, type GitChange, type GitStatus } from './git-source.ts';
export { GitRepo } from './repo.ts';
