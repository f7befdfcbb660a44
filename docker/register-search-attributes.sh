#!/bin/sh
# Caseflow's custom search attributes (workflows/search-attributes.ts). Existing ones are left alone.
set -e
for attr in CaseSeverity=Int CaseProgram=Keyword CaseStatus=Keyword SlaState=Keyword NextDueAt=Datetime CaseRegion=Keyword SupportId=Keyword; do
  name=${attr%%=*}; type=${attr#*=}
  temporal operator search-attribute create --namespace default --name "$name" --type "$type" \
    || echo "search attribute $name already registered"
done
