export * from './problem-details';
export * from './problem.exception';
export * from './problem-details.filter';
