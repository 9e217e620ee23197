"""Previous/next links between articles (older/newer by date)."""

from pelican import signals


def link_neighbours(generator):
    ordered = sorted(generator.articles, key=lambda a: (a.date, a.source_path))
    for index, article in enumerate(ordered):
        article.prev_article = ordered[index - 1] if index > 0 else None
        article.next_article = ordered[index + 1] if index + 1 < len(ordered) else None


def register():
    signals.article_generator_finalized.connect(link_neighbours)
