export * from './catalogue-service';
export * from './district';
export * from './money';
