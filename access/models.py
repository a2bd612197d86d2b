"""access keeps no tables of its own: the role tables of the apps are the only store of roles
(access.scope), and the rules are code (access.policy)."""
