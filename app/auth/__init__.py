"""Who is calling and what they may do: principals, roles, tokens, passwords, the policy."""
