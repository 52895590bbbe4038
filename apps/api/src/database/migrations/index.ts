import { Initial1795725253891 } from './1795725253891-Initial.js';

// Every migration, oldest first. Never edit one that has been committed: add a new one.
export const MIGRATIONS: Function[] = [Initial1795725253891];
