// Runs DatoCMS's own @datocms/cda-client against the emulator and prints what it saw as JSON.
// Usage: node cda_client.mjs <tools/node/package.json> <endpoint> <token>
import { createRequire } from "node:module";

const [packageJson, endpoint, token] = process.argv.slice(2);
const require = createRequire(packageJson);
const { ApiError, executeQuery, executeQueryWithAutoPagination, rawExecuteQuery } =
  require("@datocms/cda-client");

const options = { token, graphqlEndpointUrl: endpoint, autoRetry: false };

async function failure(run) {
  try {
    await run();
    return { thrown: false };
  } catch (error) {
    return {
      apiError: error instanceof ApiError,
      status: error.response.status,
      body: error.response.body,
    };
  }
}

const out = {};
out.query = await executeQuery(
  "query Latest($n: IntType) { allArticles(first: $n, orderBy: _createdAt_ASC) { slug } }",
  { ...options, variables: { n: 2 } },
);
const [home, response] = await rawExecuteQuery("{ home { heroTitle } }", {
  ...options,
  returnCacheTags: true,
});
out.home = home;
out.cacheTags = response.headers.get("x-cache-tags").split(" ");
out.requestId = response.headers.get("x-request-id");
out.published = await executeQuery(
  '{ article(filter: {id: {eq: "night-train"}}) { _status } }',
  options,
);
out.drafts = await executeQuery(
  '{ article(filter: {id: {eq: "night-train"}}) { _status } }',
  { ...options, includeDrafts: true },
);
out.strict = await executeQuery("{ _allArticlesMeta { count } }", {
  ...options,
  excludeInvalid: true,
});
out.environment = await executeQuery("{ _site { locales } }", {
  ...options,
  environment: "staging",
});
const schema = await executeQuery(
  "{ __schema { queryType { name } types { name } } }",
  options,
);
out.schema = {
  queryType: schema.__schema.queryType.name,
  hasArticleRecord: schema.__schema.types.some((t) => t.name === "ArticleRecord"),
};
out.autoPagination = (
  await executeQueryWithAutoPagination(
    "{ allArticles(first: 600, orderBy: _createdAt_ASC) { slug } }",
    options,
  )
).allArticles.length;
out.badToken = await failure(() =>
  executeQuery("{ home { id } }", { ...options, token: "wrong" }),
);
out.badEnvironment = await failure(() =>
  executeQuery("{ home { id } }", { ...options, environment: "nope" }),
);
out.graphqlError = await failure(() => executeQuery("{ nope }", options));
console.log(JSON.stringify(out));
