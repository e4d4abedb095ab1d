"""The GraphQL schema (strawberry types) and its exported SDL, schema/schema.graphql."""
