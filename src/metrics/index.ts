/** Clustering metrics, equal to scikit-learn's. `*Score`: higher is better, except Davies–Bouldin. */
export * from './supervised.ts';
export * from './internal.ts';
export { hungarianMaximize } from './hungarian.ts';
