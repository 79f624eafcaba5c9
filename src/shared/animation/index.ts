export * from './camera-paths';
