"""`broadsheet serve`: the live proof in the browser. server.py runs the watcher and the web
server, snapshot.py and pagemap.py make what a page is shown after each build, app.py serves it,
editor.py opens a place in the user's editor; static/ holds the page itself."""
