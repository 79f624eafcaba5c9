export * from './channel';
export * from './client';
export * from './codec';
export * from './errors';
export * from './messages';
export * from './server';
export * from './ws-client';
