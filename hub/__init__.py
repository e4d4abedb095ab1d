"""CreditHub: the GraphQL data-sharing hub of a county social-credit supervision system."""
