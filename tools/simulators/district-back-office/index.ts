export * from './back-office-simulator';
export * from './json-back-office';
export * from './soap-back-office';
export * from './soap12-back-office';
export * from './nested-json-back-office';
export * from './nested-json-office.profile';
