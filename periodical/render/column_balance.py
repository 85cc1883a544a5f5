"""Column balancing by bisection for WeasyPrint 70, patched in at import.

WeasyPrint balances the columns of a multi-column box (an article's last page) by laying the
columns out again and again, one height after another: it starts at the average column
height and adds the "lost space" each column reports, or 1 px when none does
(`layout/column.py: columns_layout`). Its lost space is never reset between rounds, so once
one round reports a small value every later round adds only that, and a figure that cannot
be split makes the rounds 1 px each. Measured on issue 148: the last page of 41-economy-advice
was laid out 27 times, 1 px taller each time; over the whole issue, six lines were laid out for
every line printed, most of them in these rounds.

This module replaces that step, and nothing else, with a search for the same thing — the
shortest column height that takes the whole content: the lost space is tried once (it is right
when one more line or paragraph has to come up), then the interval between the tallest height
known to be too short and the shortest known to fit is halved, to 1 px, as WeasyPrint's own
steps are. The rest of `columns_layout` (the first round at full height, overflow to the next
page, the final layout at the height found) is WeasyPrint's, unchanged.

The patch edits WeasyPrint's source text and checks that the lines it replaces are there, so a
WeasyPrint whose code differs fails at import (cjk_justify.py pins the version, too).
"""
import inspect

from weasyprint.layout import block, column

_START = """                        balancing = True
                        height = sum(consumed_heights) / count
"""
_STEP = """            if balancing:
                if column_skip_stack is None:
                    # We rendered the whole content, stop
                    break

                # Increase the column heights and render them again
                add_height = 1 if lost_space == inf else lost_space
                height += add_height

                if height > max_height:
                    # We reached max height, stop rendering
                    height = max_height
                    stop_rendering = True
                    break
"""
_NEW_START = _START + """                        search = _BalanceSearch(height, max_height)
"""
_NEW_STEP = """            if balancing:
                height, done, stop_rendering = search.next(
                    height, column_skip_stack is None, lost_space, max(consumed_heights, default=0))
                lost_space = inf
                if done:
                    break
"""


# Stop when the shortest height that fits is known to within 1 mm: a 9 pt line is 5 mm tall, so
# the columns could differ by a line only where one ends that close to the column's foot.
TOLERANCE = 4      # CSS px


class _BalanceSearch:
    """The shortest column height that takes the whole content."""

    def __init__(self, average, max_height):
        self.short = average - 1     # below the average height the content cannot fit
        self.fits = max_height       # the first round found that everything fits at full height
        self.fit_at = None           # the shortest height a balancing round (page not empty) fitted at
        self.last = "average"        # how the height just tried was chosen: average, grow or halve
        self.bound_tried = False

    def next(self, height, fitted, lost_space, used):
        """The next height to try after a round at `height`: (height, done, stop_rendering).

        used: the height the tallest column took. It bounds the search (the same columns stand
        at any height from it up), but the answer is always a height a round fitted at.
        """
        if fitted and self.last != "halve":
            return height, True, False       # the first fit when growing: WeasyPrint's answer
        if fitted:
            self.fit_at, self.fits = height, min(height, max(used, self.short + 1))
        else:
            self.short = height
        gap = self.fits - self.short
        if gap <= TOLERANCE:
            return self._answer()
        # The lost space is what one more line or block needs: grow by it after a round that was
        # short, unless growing just failed (an unsplittable block is in the way); else halve.
        grow = not fitted and self.last != "grow" and 1 < lost_space < gap
        self.last = "grow" if grow else "halve"
        return self.short + (lost_space if grow else gap / 2), False, False

    def _answer(self):
        if self.fit_at and self.fit_at - self.fits > TOLERANCE and not self.bound_tried:
            # Every height below the bound was short: try the bound itself before a taller fit.
            self.bound_tried, self.last = True, "halve"
            return self.fits, False, False
        if self.fit_at:
            return self.fit_at, True, False
        # Nothing fitted below full height in a balancing round: fill the page, as WeasyPrint does.
        return self.fits, True, True


def _patch():
    source = inspect.getsource(column)
    for old, new in ((_START, _NEW_START), (_STEP, _NEW_STEP)):
        if source.count(old) != 1:
            raise RuntimeError("periodical.render.column_balance: WeasyPrint's columns_layout is not the one "
                               "this patch was written for; port and re-test it")
        source = source.replace(old, new)
    namespace = dict(vars(column), _BalanceSearch=_BalanceSearch)
    exec(compile(source, column.__file__, "exec"), namespace)
    column.columns_layout = block.columns_layout = namespace["columns_layout"]


_patch()
