//! ATS presets: Greenhouse, Lever, Workday, SmartRecruiters, Ashby, Personio, Recruitee, SuccessFactors, Oracle.
