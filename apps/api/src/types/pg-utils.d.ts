// node-postgres's own conversion of a parameter to the text it sends (no types are published for it).
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): unknown };
  export default utils;
}
