import starter from './starter-sql.json';

/**
 * The query a new SQL figure starts from in the figure builder: a working example over the workspace's own tables,
 * kept here with the figure library rather than in the renderer, which names no table. Like the demo's SQL figures,
 * an analyst's query is data rather than code, so it lives in the JSON beside this file.
 */
export const STARTER_SQL: string = starter.sql;
