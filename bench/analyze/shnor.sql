-- Reference for bench/analyze: the ШНОР rule of seed 002 §2.1 (METHODS.md §1) written
-- directly in SQL over the msoko database, for year :Y (set by the script with .parameter).
-- Low procedure: ≥ 30 % failed (mark 2, or ЕГЭ below the minimum); first main-period results
-- only (no retakes, no past-year graduates, no absent); listed on rule A (≥ 2 low in Y) or
-- rule B (≥ 1 low in each of Y−1 and Y, any procedure).
WITH proc AS (
  SELECT p.id, p.year, p.kind, p.subject, p.grade,
         (SELECT min_test FROM scale sc WHERE sc.kind = p.kind AND sc.subject = p.subject
             AND sc.grade = p.grade AND sc.year IN (p.year, 0) ORDER BY sc.year DESC LIMIT 1)
           AS min_test
  FROM procedure p
  WHERE p.year IN (:Y - 1, :Y)
    AND ((p.kind = 'VPR' AND p.subject IN ('math', 'rus') AND p.grade IN (5, 6))
      OR (p.kind = 'OGE' AND p.subject IN ('math', 'rus'))
      OR (p.kind = 'EGE' AND p.subject IN ('math_base', 'math_prof', 'rus')))
), cell AS (
  SELECT r.school_id, pr.year, count(*) AS n,
         sum(CASE WHEN pr.kind = 'EGE' AND pr.subject <> 'math_base'
                  THEN r.test_score < pr.min_test ELSE r.mark = 2 END) AS failed
  FROM result r JOIN proc pr ON pr.id = r.procedure_id
  WHERE r.absent = 0 AND r.retake = 0 AND r.past_graduate = 0
  GROUP BY r.procedure_id, r.school_id
), low AS (
  SELECT school_id, sum(year = :Y) AS now, sum(year = :Y - 1) AS before
  FROM cell WHERE failed >= 0.3 * n GROUP BY school_id
)
SELECT s.code FROM low JOIN school s ON s.id = low.school_id
WHERE low.now >= 2 OR (low.now >= 1 AND low.before >= 1)
ORDER BY s.code;
