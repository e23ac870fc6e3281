"""The mock inside other tools' worlds: connexion (`connexion/`: the resolver and `serve --engine
connexion`).

Sits on top of the composition root: may import `app` and everything below; may not import
`server` or `cli`. It is the only place that imports connexion, and only when it is used, so `serve`
with its own engine never loads connexion or Flask.
"""
