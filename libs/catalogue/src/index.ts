export * from './catalogue-service';
export * from './district';
export * from './money';
export * from './district-tiles';
export * from './iban';
export * from './term-start';
export * from './life-events';
