"""The GraphQL engine: the schema assembled from the types of schema/ (build), the request's
path through strawberry and graphql-core (extensions: parsing, validation, cost, limits, the
document caches, error masking), the execution context, and the SDL export. It holds no types
of the API and no business rules."""
