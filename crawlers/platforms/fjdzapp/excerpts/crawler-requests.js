// Verbatim excerpts of public crawler code calling POST /fjdzapp/search (see PROVENANCE.md).

// changwu/pingtan-gov-zwgk-archive _crawler/crawler.js + crawler_common.js
 * - enumerate full site doc index: POST /fjdzapp/search channelid=200210 (prepage=500)
    const body = 'channelid=200210&sortfield=-pubdate&page=' + page + '&prepage=' + prepage;
    pageCount = j.pageCount || pageCount;
    const rows = (j.data || []);
        const url = d.docpuburl || d.chnldocurl;
  API: 'https://www.pingtan.gov.cn/fjdzapp/search',
function isHtmlBlockedBody(buf) {
  // www WAF sometimes returns tiny empty html body (2 bytes) for articles
  return buf.length < 300;
}
// Removed documents redirect to their parent listing with a tiny meta-refresh stub:
//   <meta http-equiv="refresh" content="0;URL=../" />
// These are permanent (content gone), NOT a WAF block, so they must not burn retries.
      headers['X-Requested-With'] = 'XMLHttpRequest';
      if (badSmall && attempt === 0) {
        // WAF blip: warm up with homepage, then retry once

// 福建省统计局 via www.fujian.gov.cn (public file id 58296461890)
    #    API: https://www.fujian.gov.cn/fjdzapp/search
    #    POST body: channelid=229105, classsql=chnlid=3504, page=N, prepage=15
    #    JSON 返回: { data: [{doctitle, docpuburl, docreltime}], pageCount: N }

// scjgj.fujian.gov.cn (public file id 68698487497)
            base_url = 'https://scjgj.fujian.gov.cn/fjdzapp/search'
            formdata = {
                'channelid': '229105',
                'sortfield': '-docorderpri,-docreltime',
                'classsql': 'chnlid=39794',
                'classcol': 'publishyear',
                'classnum': '100',
                'classsort': '0',
                'cache': 'true',
                'page': str(page),
                'prepage': '75',
            }

// www.fujian.gov.cn with templet=docs.jsp (public file id 18237930712)
        for doc in row_data['docs']:
            urls.append(doc['chnldocurl'])
